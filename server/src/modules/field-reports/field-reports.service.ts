/**
 * Field reports (事件上报): what rangers see on patrol — fire hazards, illegal logging, pests,
 * occupied forest land, wildlife — with a position and a photo, shown live on the command map
 * (notice clause 十) and counted in the ranger's monthly performance (clause 七).
 */
import type { Db } from '../../db/connection.js';
import { type Actor, can } from '../../platform/actor.js';
import type { RunChange } from '../../platform/change.js';
import { AppError, forbidden, found, validationFailed } from '../../platform/errors.js';
import type { FilesRepo } from '../../platform/files/files.repo.js';
import { type PageRequest, pageWindow } from '../../platform/paging.js';
import { subtreeFilter } from '../../platform/scope.js';
import type { IncidentOpener } from '../incidents/incident-sources.js';
import type { PatrolsRepo } from '../patrols/patrols.repo.js';
import { CLOCK_SKEW_MS } from '../patrols/patrols.schema.js';
import { fieldReportEvent } from './field-reports.events.js';
import type { FieldReportRow, FieldReportsRepo } from './field-reports.repo.js';
import type { CreateFieldReportInput, FieldReport, FieldReportFilter, FieldReportKind, FieldReportStatus } from './field-reports.schema.js';

/** The kinds of report that open an incident once an officer verifies them, with the incident category and title. */
const INCIDENT_OF_KIND: Partial<Record<FieldReportKind, { category: string; title: string }>> = {
  fire_hazard: { category: 'forest_fire', title: '巡护上报：火情' },
  illegal_logging: { category: 'illegal_logging', title: '巡护上报：盗伐滥伐林木' },
  land_occupation: { category: 'land_occupation', title: '巡护上报：非法占用林地' },
};

type Deps = {
  db: Db;
  fieldReportsRepo: FieldReportsRepo;
  patrolsRepo: Pick<PatrolsRepo, 'rangerOfUser'>;
  filesRepo: Pick<FilesRepo, 'findMetaInScope'>;
  incidents: Pick<IncidentOpener, 'openIn'>;
  runChange: RunChange;
  now?: () => Date;
};

export const presentReport = ({ orgPath: _, ...report }: FieldReportRow): FieldReport => report;

const event = (type: 'report.created' | 'report.updated', report: FieldReportRow) =>
  fieldReportEvent(type, report, { report: presentReport(report) });

export function createFieldReportsService({
  db,
  fieldReportsRepo,
  patrolsRepo,
  filesRepo,
  incidents,
  runChange,
  now = () => new Date(),
}: Deps) {
  return {
    /**
     * The signed-in ranger reports what they found. The report belongs to the grid holding the
     * position when that lies in the ranger's county, else to the ranger's own unit.
     */
    async create(actor: Actor, input: CreateFieldReportInput): Promise<FieldReport> {
      if (!can(actor, 'patrols:self')) throw forbidden('patrols:self');
      const current = now();
      const reportedAt = input.reportedAt ?? current;
      if (reportedAt.getTime() > current.getTime() + CLOCK_SKEW_MS) {
        throw validationFailed([{ path: 'body.reportedAt', message: 'the time lies in the future' }]);
      }
      return runChange(actor, async (ctx) => {
        const ranger = await patrolsRepo.rangerOfUser(ctx.tx, actor.userId);
        if (!ranger) throw new AppError(403, 'forbidden', 'This account is not linked to a ranger');
        if (input.photoFileId) {
          const photo = await filesRepo.findMetaInScope(ctx.tx, actor, input.photoFileId);
          if (!photo) throw validationFailed([{ path: 'body.photoFileId', message: 'no such file of yours' }]);
          if (!photo.contentType.startsWith('image/'))
            throw validationFailed([{ path: 'body.photoFileId', message: 'the file is not a photo' }]);
        }
        const grid = await fieldReportsRepo.gridInCountyOf(ctx.tx, ranger.orgPath, input.lon, input.lat);
        const id = await fieldReportsRepo.insert(ctx.tx, {
          kind: input.kind,
          rangerId: ranger.id,
          orgUnitId: grid?.id ?? ranger.orgUnitId,
          lon: input.lon,
          lat: input.lat,
          reportedAt,
          note: input.note ?? null,
          photoFileId: input.photoFileId ?? null,
        });
        const report = (await fieldReportsRepo.findById(ctx.tx, id)) as FieldReportRow;
        ctx.audit({
          action: 'field_report.create',
          entity: 'field_report',
          entityId: id,
          orgUnitId: report.orgUnitId,
          after: presentReport(report),
        });
        ctx.emit(event('report.created', report));
        return presentReport(report);
      });
    },

    /** One page of reports in the actor's subtree, newest first. */
    async list(actor: Actor, filter: FieldReportFilter, page: PageRequest) {
      const subtreePath = await subtreeFilter(db, actor, filter.orgUnitId);
      const { items, total } = await fieldReportsRepo.list(db, actor, { ...filter, subtreePath }, pageWindow(page));
      return { items: items.map(presentReport), total };
    },

    /** One report; 404 outside the actor's subtree. */
    async get(actor: Actor, id: string): Promise<FieldReport> {
      const report = found(await fieldReportsRepo.findInScope(db, actor, id), 'Field report');
      return presentReport(report);
    },

    /**
     * An officer marks a report verified or closed (or back to new). Verifying a fire, logging or
     * land-occupation report opens an incident (source `field_report`) in the same change, or
     * links to the one it opened before.
     */
    async setStatus(actor: Actor, id: string, status: FieldReportStatus): Promise<FieldReport> {
      const current = found(await fieldReportsRepo.findInScope(db, actor, id), 'Field report');
      if (current.status === status) return presentReport(current); // nothing changes, nothing to audit
      return runChange(actor, async (ctx) => {
        const before = found(await fieldReportsRepo.findInScope(ctx.tx, actor, id), 'Field report');
        await fieldReportsRepo.setStatus(ctx.tx, actor, id, status);
        const after = (await fieldReportsRepo.findById(ctx.tx, id)) as FieldReportRow;
        ctx.audit({
          action: 'field_report.status',
          entity: 'field_report',
          entityId: id,
          orgUnitId: after.orgUnitId,
          before: { status: before.status },
          after: { status },
        });
        ctx.emit(event('report.updated', after));
        const opens = INCIDENT_OF_KIND[after.kind];
        if (status === 'verified' && opens) {
          await incidents.openIn(ctx, {
            ...opens,
            description: after.note,
            location: after.location.coordinates,
            source: 'field_report',
            sourceRef: id,
            reporter: { name: after.rangerName },
            photoFileIds: after.photoFileId ? [after.photoFileId] : [],
            reportedAt: after.reportedAt,
            by: actor.username,
          });
        }
        return presentReport(after);
      });
    },
  };
}
export type FieldReportsService = ReturnType<typeof createFieldReportsService>;
