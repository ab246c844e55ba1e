import type { Permission } from './auth/roles.js';

/** Who is acting: the signed-in user with the org unit that bounds what they see and change. */
export type Actor = {
  userId: string;
  username: string;
  displayName: string;
  orgUnitId: number;
  /** Materialised path of the actor's org unit, e.g. `/1/3/`; their scope is every unit under it. */
  orgPath: string;
  roles: string[];
  permissions: ReadonlySet<string>;
  /** Client address, for the audit log. */
  address: string | null;
};

/** The actor used by the command line and the seed: the whole tree, every permission. */
export function systemActor(rootPath: string, rootUnitId: number): Actor {
  return {
    userId: '00000000-0000-0000-0000-000000000000',
    username: 'system',
    displayName: 'system',
    orgUnitId: rootUnitId,
    orgPath: rootPath,
    roles: ['system'],
    permissions: new Set(['*']),
    address: null,
  };
}

/** Whether the actor holds a permission (or `*`, every permission). */
export function can(actor: Pick<Actor, 'permissions'>, permission: Permission): boolean {
  return actor.permissions.has(permission) || actor.permissions.has('*');
}
