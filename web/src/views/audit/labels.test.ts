import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import enAudit from '@/i18n/en-US/audit.json';
import zhAudit from '@/i18n/zh-CN/audit.json';
import { auditActionLabel, auditActorLabel, auditEntityLabel, SYSTEM_PRINCIPALS } from './labels';

/** A minimal vue-i18n over one module's messages: nested keys and `{name}` parameters. */
function translator(audit: Record<string, unknown>) {
  const lookup = (key: string): unknown =>
    key
      .split('.')
      .reduce<unknown>((node, part) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined), {
        audit,
      });
  const te = (key: string) => typeof lookup(key) === 'string';
  const t = (key: string, params: Record<string, unknown> = {}) =>
    String(lookup(key) ?? key).replace(/\{(\w+)\}/g, (_, name: string) => String(params[name]));
  return { t, te };
}

const SERVER_SRC = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../../../server/src');

function serverSources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return serverSources(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

/** Every audit action and entity code the server writes (`action: '…'`, `entity: '…'`, closing patrols). */
function serverAuditCodes() {
  const actions = new Set<string>();
  const entities = new Set<string>();
  for (const file of serverSources(SERVER_SRC)) {
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(/action:\s*(?:[^,\n]*?\?\s*)?'([a-z_]+\.[a-z_]+)'(?:\s*:\s*'([a-z_]+\.[a-z_]+)')?/g)) {
      actions.add(m[1]);
      if (m[2]) actions.add(m[2]);
    }
    for (const m of text.matchAll(/endPatrols\([^)]*'([a-z_]+\.[a-z_]+)'\)/g)) actions.add(m[1]);
    for (const m of text.matchAll(/entity:\s*'([a-z_]+)'/g)) entities.add(m[1]);
  }
  return { actions: [...actions].sort(), entities: [...entities].sort() };
}

describe('the audit log in words', () => {
  it('finds the codes the server writes (the scan itself works)', () => {
    const { actions, entities } = serverAuditCodes();
    expect(actions).toEqual(expect.arrayContaining(['patrol.open_by_movement', 'patrol.close_idle', 'alert.acknowledge', 'alert.resolve']));
    expect(entities).toEqual(expect.arrayContaining(['patrol', 'alert', 'site']));
  });

  for (const [locale, messages] of [
    ['zh-CN', zhAudit],
    ['en-US', enAudit],
  ] as const) {
    it(`translates every audit action and entity the server writes (${locale})`, () => {
      const { t, te } = translator(messages);
      const { actions, entities } = serverAuditCodes();
      expect(actions.filter((code) => !te(`audit.action.${code}`))).toEqual([]);
      expect(entities.filter((code) => !te(`audit.entity.${code}`))).toEqual([]);
      expect(auditActionLabel('patrol.open_by_movement', t, te)).not.toContain('patrol');
    });
  }

  it('knows every system principal the server audits under (platform/change.ts), in both languages', () => {
    const text = fs.readFileSync(path.join(SERVER_SRC, 'platform/change.ts'), 'utf8');
    const list = text.match(/SYSTEM_PRINCIPALS = \[([^\]]*)\]/)?.[1] ?? '';
    const server = [...list.matchAll(/'([a-z_]+)'/g)].map((m) => m[1]);
    expect(server.length).toBeGreaterThan(0);
    expect([...SYSTEM_PRINCIPALS].sort()).toEqual([...server].sort());
    for (const messages of [zhAudit, enAudit]) {
      const { te } = translator(messages);
      expect(server.filter((name) => !te(`audit.principal.${name}`))).toEqual([]);
    }
  });

  it('words SafeForest itself and keeps people as they are', () => {
    const { t } = translator(zhAudit);
    expect(auditActorLabel('system', t)).toBe('系统');
    expect(auditActorLabel('analyzer', t)).toBe('自动分析');
    expect(auditActorLabel(null, t)).toBe('系统');
    expect(auditActorLabel('duty', t)).toBe('duty');
  });

  it('tells an action without its own translation from its kind and verb, else as "other"', () => {
    const { t, te } = translator(zhAudit);
    expect(auditActionLabel('device.update', t, te)).toBe('修改设备');
    expect(auditActionLabel('ranger.import', t, te)).toBe('导入护林员');
    expect(auditActionLabel('beacon.import', t, te)).toBe('其他操作（beacon.import）');
    expect(auditEntityLabel('beacon', t, te)).toBe('其他（beacon）');
    const en = translator(enAudit);
    expect(auditActionLabel('ranger.import', en.t, en.te)).toBe('Ranger imported');
  });
});
