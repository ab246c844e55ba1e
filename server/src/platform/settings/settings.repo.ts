import { eq } from 'drizzle-orm';
import type { Tx } from '../../db/connection.js';
import { settings } from './settings.tables.js';

export function createSettingsRepo() {
  return {
    get: async (tx: Tx, key: string): Promise<unknown> =>
      (await tx.select({ value: settings.value }).from(settings).where(eq(settings.key, key)))[0]?.value,

    put: (tx: Tx, key: string, value: unknown, updatedBy: string) =>
      tx
        .insert(settings)
        .values({ key, value, updatedBy })
        .onConflictDoUpdate({ target: settings.key, set: { value, updatedBy, updatedAt: new Date() } }),
  };
}
export type SettingsRepo = ReturnType<typeof createSettingsRepo>;
