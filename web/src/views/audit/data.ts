/** Known audit actions and entities (the filters offer these; other values can be typed). */
export const AUDIT_ACTIONS = [
  'site.create',
  'site.update',
  'site.delete',
  'site.import',
  'auth.sign_in',
  'auth.sign_in_failed',
  'auth.throttled',
  'auth.sign_out',
  'auth.password_changed',
  'auth.password_change_failed',
  'user.create',
  'user.reset_password',
  'seed.territory',
] as const;

export const AUDIT_ENTITIES = ['site', 'user', 'org_unit'] as const;

export type AuditFilterState = { entity: string; action: string; actor: string; range: [Date, Date] | null };
export const emptyAuditFilter = (): AuditFilterState => ({ entity: '', action: '', actor: '', range: null });

/** Pretty JSON for the before/after columns (null shows as a dash). */
export function prettyJson(value: unknown): string {
  if (value === null || value === undefined) return '—';
  return JSON.stringify(value, null, 2);
}
