/**
 * The public tip-off (群众举报, notice clauses 十 and 十二): anyone reports a fire, illegal logging,
 * occupied forest land or a wildlife crime, with a place, photos and optionally a name and phone.
 * The report opens an incident of source `tipoff` (or is linked to the open incident it repeats)
 * in the same transaction, and answers a tracking code; the code shows the progress — the
 * incident's status in public words — and the officers' public replies, nothing else.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Db, Tx } from '../../db/connection.js';
import type { Actor } from '../../platform/actor.js';
import type { RunChange, Visitor } from '../../platform/change.js';
import { found, notFound, validationFailed } from '../../platform/errors.js';
import type { FilesRepo } from '../../platform/files/files.repo.js';
import type { OrgRepo } from '../../platform/org/org.repo.js';
import { type PageRequest, pageWindow } from '../../platform/paging.js';
import { subtreeFilter } from '../../platform/scope.js';
import type { IncidentOpener } from '../incidents/incident-sources.js';
import type { TipoffRow, TipoffSummaryRow, TipoffsRepo } from './tipoffs.repo.js';
import {
  type CreateTipoffInput,
  type PublicTipoffStatus,
  type PublicTipoffStatusView,
  TIPOFF_TITLES,
  type Tipoff,
  type TipoffFilter,
  type TipoffSummary,
} from './tipoffs.schema.js';
import { newTrackingCode, trackingCodeHash } from './tracking-code.js';

/** A photo sent with a tip-off, its type already read from its bytes. */
export type TipoffPhotoUpload = { data: Buffer; contentType: 'image/jpeg' | 'image/png' | 'image/webp' };

/** What the tip-off needs to know of its incident: the status (and where a merged one went). */
export type IncidentProgressReader = {
  getIn(tx: Tx, id: string): Promise<{ status: string; mergedInto: string | null } | null>;
};

type Deps = {
  db: Db;
  tipoffsRepo: TipoffsRepo;
  orgRepo: Pick<OrgRepo, 'locate'>;
  filesRepo: Pick<FilesRepo, 'insert'>;
  incidents: Pick<IncidentOpener, 'openIn'> & IncidentProgressReader;
  runChange: RunChange;
};

/** The audit log's name for a member of the public: a visitor who never signs in. */
export const PUBLIC_REPORTER = 'public';

const EXTENSIONS = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' } as const;

/** The public word for an incident status (see `PUBLIC_TIPOFF_STATUSES`). */
export function publicStatusOf(incidentStatus: string): PublicTipoffStatus {
  switch (incidentStatus) {
    case 'dispatched':
    case 'on_scene':
      return 'in_progress';
    case 'resolved':
    case 'closed':
      return 'resolved';
    case 'false_alarm':
      return 'closed';
    default:
      return 'received';
  }
}

const presentSummary = (row: TipoffSummaryRow): TipoffSummary => row;

export function createTipoffsService({ db, tipoffsRepo, orgRepo, filesRepo, incidents, runChange }: Deps) {
  /** The progress of an incident as the reporter sees it, following merges to the incident that lives on. */
  async function progressOf(tx: Tx, incidentId: string): Promise<PublicTipoffStatus> {
    let id: string | null | undefined = incidentId;
    for (let hop = 0; id && hop < 5; hop++) {
      const incident = await incidents.getIn(tx, id);
      if (!incident) return 'received';
      if (incident.status !== 'merged' || !incident.mergedInto) return publicStatusOf(incident.status);
      id = incident.mergedInto;
    }
    return 'received';
  }

  return {
    /**
     * A member of the public reports: the report is placed in the grid, township or county holding
     * the place, its photos are stored in that unit, and it opens
     * or joins an incident. Answers the tracking code, which is shown once and never stored.
     */
    async report(
      address: string | null,
      input: CreateTipoffInput,
      photos: readonly TipoffPhotoUpload[],
    ): Promise<{ trackingCode: string }> {
      const reporter: Visitor = { kind: 'visitor', userId: null, username: PUBLIC_REPORTER, address };
      const trackingCode = newTrackingCode();
      await runChange(reporter, async (ctx) => {
        const [lon, lat] = input.location.coordinates;
        const [placement] = await orgRepo.locate(ctx.tx, [[lon, lat]]);
        // The incident module refuses a report from outside every county too; refused here before any photo is stored.
        const orgUnitId = placement.unitId;
        if (orgUnitId === null)
          throw validationFailed([{ path: 'body.location', message: 'the place lies outside Yuxi (no county holds it)' }]);
        const id = randomUUID();
        const fileIds: string[] = [];
        for (const [n, photo] of photos.entries()) {
          const stored = await filesRepo.insert(ctx.tx, {
            orgUnitId,
            name: `举报照片-${n + 1}.${EXTENSIONS[photo.contentType]}`,
            contentType: photo.contentType,
            size: photo.data.length,
            sha256: createHash('sha256').update(photo.data).digest('hex'),
            data: photo.data,
            uploadedBy: null,
          });
          fileIds.push(stored.id);
          ctx.audit({ action: 'file.upload', entity: 'file', entityId: stored.id, orgUnitId, after: { ...stored, tipoffId: id } });
        }
        const reporterName = input.name || null;
        const reporterPhone = input.phone || null;
        const incident = await incidents.openIn(ctx, {
          category: input.category,
          title: TIPOFF_TITLES[input.category],
          description: input.description,
          location: [lon, lat],
          placeText: input.placeText || null,
          source: 'tipoff',
          sourceRef: id,
          reporter: reporterName || reporterPhone ? { name: reporterName, phone: reporterPhone } : null,
          photoFileIds: fileIds,
          by: PUBLIC_REPORTER,
        });
        await tipoffsRepo.insert(ctx.tx, {
          id,
          trackingCodeHash: trackingCodeHash(trackingCode),
          category: input.category,
          description: input.description,
          location: input.location,
          placeText: input.placeText || null,
          reporterName,
          reporterPhone,
          orgUnitId,
          countyCode: placement.countyCode,
          incidentId: incident.id,
        });
        await tipoffsRepo.insertPhotos(ctx.tx, id, fileIds);
        // The reporter's name and phone stay out of the audit log: only the handling units see them.
        ctx.audit({
          action: 'tipoff.create',
          entity: 'tipoff',
          entityId: id,
          orgUnitId,
          after: {
            category: input.category,
            location: input.location,
            placeText: input.placeText || null,
            anonymous: !reporterName && !reporterPhone,
            photoFileIds: fileIds,
            incidentId: incident.id,
            linkedToOpenIncident: incident.linked,
          },
        });
      });
      return { trackingCode };
    },

    /** The public status page of a tracking code: progress and public replies; 404 for an unknown code. */
    async publicStatus(trackingCode: string): Promise<PublicTipoffStatusView> {
      const tipoff = await tipoffsRepo.findByTrackingCode(db, trackingCode);
      if (!tipoff) throw notFound('Tip-off');
      const [status, replies] = await Promise.all([progressOf(db, tipoff.incidentId), tipoffsRepo.publicReplies(db, tipoff.id)]);
      return { status, replies };
    },

    /** One page of the tip-offs in the actor's area, newest first (without the reporters' contacts). */
    async list(actor: Actor, filter: TipoffFilter, page: PageRequest) {
      const subtreePath = await subtreeFilter(db, actor, filter.orgUnitId);
      const { items, total } = await tipoffsRepo.list(db, actor, { ...filter, subtreePath }, pageWindow(page));
      return { items: items.map(presentSummary), total };
    },

    /**
     * One tip-off with the reporter's contact, photos and replies; 404 outside the actor's area.
     * Who opened a reporter's contact is on record (举报人信息保密): the view is audited.
     */
    async get(actor: Actor, id: string): Promise<Tipoff> {
      return runChange(actor, async (ctx) => {
        const tipoff = found(await tipoffsRepo.findInScope(ctx.tx, actor, id), 'Tip-off');
        ctx.audit({ action: 'tipoff.view', entity: 'tipoff', entityId: id, orgUnitId: tipoff.orgUnitId });
        return presentTipoff(ctx.tx, tipoff);
      });
    },

    /** An officer answers the reporter on the public status page. */
    async reply(actor: Actor, id: string, text: string) {
      return runChange(actor, async (ctx) => {
        const tipoff = found(await tipoffsRepo.findInScope(ctx.tx, actor, id), 'Tip-off');
        const replyId = found(await tipoffsRepo.insertReply(ctx.tx, actor, id, text), 'Tip-off');
        ctx.audit({ action: 'tipoff.reply', entity: 'tipoff', entityId: id, orgUnitId: tipoff.orgUnitId, after: { replyId, text } });
        const replies = await tipoffsRepo.replies(ctx.tx, id);
        return replies.find((r) => r.id === replyId) as (typeof replies)[number];
      });
    },
  };

  async function presentTipoff(tx: Tx, { orgPath: _, ...row }: TipoffRow): Promise<Tipoff> {
    const [photos, replies, status] = await Promise.all([
      tipoffsRepo.photos(tx, row.id),
      tipoffsRepo.replies(tx, row.id),
      progressOf(tx, row.incidentId),
    ]);
    return { ...row, status, photos, replies };
  }
}
export type TipoffsService = ReturnType<typeof createTipoffsService>;
