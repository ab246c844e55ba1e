/**
 * How the audit log words its codes: actions (`patrol.open_by_movement`), record kinds (`patrol`)
 * and the principals SafeForest acts as itself (`system`, `analyzer`). A code without its own
 * translation is still told in words: its kind and verb when those are known ("新增基础底图"),
 * else "other action (code)".
 */
type Translate = (key: string, params?: Record<string, unknown>) => string;
type Knows = (key: string) => boolean;

/** The login names under which SafeForest itself acts: the seed and command line, the analyzers, the notification worker (the server's `SYSTEM_PRINCIPALS`; a test keeps them equal). */
export const SYSTEM_PRINCIPALS = ['system', 'analyzer', 'satellite_feed', 'notifier', 'camera_feed'] as const;

export function auditEntityLabel(code: string, t: Translate, te: Knows): string {
  return te(`audit.entity.${code}`) ? t(`audit.entity.${code}`) : t('audit.otherEntity', { code });
}

export function auditActionLabel(code: string, t: Translate, te: Knows): string {
  if (te(`audit.action.${code}`)) return t(`audit.action.${code}`);
  const dot = code.lastIndexOf('.');
  const entity = code.slice(0, dot);
  const verb = code.slice(dot + 1);
  if (dot > 0 && te(`audit.entity.${entity}`) && te(`audit.verb.${verb}`)) {
    return t('audit.composedAction', { entity: t(`audit.entity.${entity}`), verb: t(`audit.verb.${verb}`) });
  }
  return t('audit.otherAction', { code });
}

/** Who acted: a person's login name as stored, or SafeForest itself in words. */
export function auditActorLabel(username: string | null, t: Translate): string {
  if (username === null) return t('audit.principal.system');
  return (SYSTEM_PRINCIPALS as readonly string[]).includes(username) ? t(`audit.principal.${username}`) : username;
}
