import audit from '@/i18n/zh-CN/audit.json';

/** The audit actions and entities SafeForest writes (those it has words for): the filters offer these; other values can be typed. */
export const AUDIT_ACTIONS: string[] = Object.entries(audit.action).flatMap(([entity, verbs]) =>
  Object.keys(verbs).map((verb) => `${entity}.${verb}`),
);
export const AUDIT_ENTITIES: string[] = Object.keys(audit.entity);

export type AuditFilterState = { entity: string; action: string; actor: string; range: [Date, Date] | null };
export const emptyAuditFilter = (): AuditFilterState => ({ entity: '', action: '', actor: '', range: null });

/** Pretty JSON for the before/after columns (null shows as a dash). */
export function prettyJson(value: unknown): string {
  if (value === null || value === undefined) return '—';
  return JSON.stringify(value, null, 2);
}
