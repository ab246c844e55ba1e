import type { Db } from '../../db/connection.js';
import type { Actor } from '../actor.js';
import { found, notFound } from '../errors.js';
import type { MapLayer, OrgRepo } from './org.repo.js';

type Deps = { db: Db; orgRepo: OrgRepo };

export function createOrgService({ db, orgRepo }: Deps) {
  return {
    /** Units of the actor's subtree, filtered by kind, parent or name. */
    async list(actor: Actor, filter: { kinds?: string[]; parentId?: number; q?: string }) {
      const items = await orgRepo.list(db, actor, filter);
      return { items, total: items.length };
    },

    /** One unit; 404 when it is outside the actor's subtree. */
    async get(actor: Actor, id: number) {
      const unit = await orgRepo.findInScope(db, actor, id);
      if (!unit) throw notFound('Org unit');
      return unit;
    },

    /** One unit's area for the map; 404 when it has none or is outside the actor's subtree. */
    async area(actor: Actor, id: number, zoom: number) {
      const feature = found(await orgRepo.area(db, actor, id, zoom), 'Org unit area');
      return feature;
    },

    /** A boundary layer for the map, simplified for the zoom level. */
    layer: (actor: Actor, layer: MapLayer, zoom: number, bbox?: [number, number, number, number]) =>
      orgRepo.layer(db, actor, layer, zoom, bbox),
  };
}
export type OrgService = ReturnType<typeof createOrgService>;
