/**
 * The site register (防控站点): timber checkpoints, forest police stations, police posts,
 * temporary and mobile checkpoints (notice clause 八) and the key sites that clause 九 names for
 * video surveillance. This module is the recipe every other module follows: see
 * docs/architecture.md.
 */
import type { Db, Tx } from '../../db/connection.js';
import type { Actor } from '../../platform/actor.js';
import type { ChangeContext, RunChange } from '../../platform/change.js';
import { assertVersion, conflict, found, validationFailed } from '../../platform/errors.js';
import type { JobProgress, JobRegistry } from '../../platform/jobs.js';
import type { OrgRepo } from '../../platform/org/org.repo.js';
import type { OrgUnit } from '../../platform/org/org.schema.js';
import { type PageRequest, pageWindow } from '../../platform/paging.js';
import { subtreeFilter } from '../../platform/scope.js';
import { parseImportRows, readImportSheet, rowsFailed } from '../../platform/sheet-import.js';
import { type SheetColumn, type SheetRow, writeWorkbook } from '../../platform/spreadsheet.js';
import { siteEvent } from './sites.events.js';
import type { SitesRepo } from './sites.repo.js';
import {
  type CreateSiteInput,
  SITE_KIND_LABELS,
  SITE_SHEET_COLUMNS,
  type SITE_SORTS,
  SITE_STATUS_LABELS,
  type Site,
  type SiteFilter,
  type SiteKind,
  SiteSheetRow,
  siteRuleProblems,
  type UpdateSiteInput,
} from './sites.schema.js';

type Deps = {
  db: Db;
  sitesRepo: SitesRepo;
  orgRepo: Pick<OrgRepo, 'findInScope' | 'areaCovers' | 'areasCover' | 'findManyByCode'>;
  runChange: RunChange;
  jobs: JobRegistry;
};

const STALE = 'The site was changed by someone else; reload it';

/** Largest spreadsheet an import takes, in rows. */
export const IMPORT_MAX_ROWS = 5_000;

export function createSitesService({ db, sitesRepo, orgRepo, runChange, jobs }: Deps) {
  /** The unit a site is written to: inside the actor's subtree, and its area must hold the location. */
  async function checkPlacement(
    ctx: Pick<ChangeContext, 'tx'>,
    actor: Actor,
    site: Pick<CreateSiteInput, 'orgUnitId' | 'location'>,
  ): Promise<OrgUnit> {
    const unit = await orgRepo.findInScope(ctx.tx, actor, site.orgUnitId);
    if (!unit) throw validationFailed([{ path: 'body.orgUnitId', message: 'no such org unit in your area' }]);
    if (!(await orgRepo.areaCovers(ctx.tx, unit.path, site.location))) {
      throw validationFailed([{ path: 'body.location', message: `the location lies outside the area of ${unit.name}` }]);
    }
    return unit;
  }

  async function mustFind(actor: Actor, id: string, tx = db as ChangeContext['tx']) {
    const site = found(await sitesRepo.findInScope(tx, actor, id), 'Site');
    return site;
  }

  /**
   * Every row of an import checked against the register's rules, the actor's units and their
   * areas; the sites to create, or every problem found (sorted by row).
   */
  async function checkImportRows(actor: Actor, rows: SheetRow[], progress: JobProgress) {
    const { parsed, problems, headerOf } = parseImportRows(rows, SITE_SHEET_COLUMNS, SiteSheetRow);
    // Rows refused cell by cell are checked already.
    progress.advance(rows.length - parsed.length);
    const units = await orgRepo.findManyByCode(db, actor, { codes: [...new Set(parsed.map((p) => p.row.orgUnitCode))] });
    const unitByCode = new Map(units.map((u) => [u.code, u]));
    const inputs: CreateSiteInput[] = [];
    const placed: { rowNumber: number; unit: (typeof units)[number] }[] = [];
    for (const { rowNumber, row } of parsed) {
      const unit = unitByCode.get(row.orgUnitCode);
      const problem = (field: string, message: string) => problems.push({ row: rowNumber, field: headerOf(field), message });
      progress.advance();
      if (!unit) {
        problem('orgUnitCode', `no org unit ${row.orgUnitCode} in your area`);
        continue;
      }
      const input = siteInputOf(row, unit.id);
      for (const p of siteRuleProblems(input)) problem(p.path.replace('body.', ''), p.message);
      inputs.push(input);
      placed.push({ rowNumber, unit });
    }
    const covered = await orgRepo.areasCover(
      db,
      placed.map((p, i) => ({ unitPath: p.unit.path, point: inputs[i].location })),
    );
    covered.forEach((inside, i) => {
      if (!inside)
        problems.push({
          row: placed[i].rowNumber,
          field: headerOf('lon'),
          message: `the location lies outside the area of ${placed[i].unit.name}`,
        });
    });
    if (problems.length === 0) return { inputs, units };
    return rowsFailed(problems);
  }

  /** Writes the checked sites in one change, one audit row each and one live event per unit. */
  function writeImport(actor: Actor, inputs: CreateSiteInput[], units: Pick<OrgUnit, 'id' | 'path'>[]) {
    return runChange(actor, async (ctx) => {
      const created = await sitesRepo.insertMany(ctx.tx, inputs);
      created.forEach((id, i) => {
        ctx.audit({ action: 'site.import', entity: 'site', entityId: id, orgUnitId: inputs[i].orgUnitId, after: inputs[i] });
      });
      // One event per unit rather than per row: viewers reload their layer once.
      for (const unit of new Set(inputs.map((i) => i.orgUnitId))) {
        const target = units.find((u) => u.id === unit);
        if (target) ctx.emit({ topic: 'sites', type: 'sites.imported', orgPath: target.path, payload: { orgUnitId: unit } });
      }
      return created;
    });
  }

  return {
    /** One page of the register within the actor's subtree. */
    async list(actor: Actor, filter: SiteFilter, page: PageRequest & { sort: (typeof SITE_SORTS)[number] }) {
      const subtreePath = await subtreeFilter(db, actor, filter.orgUnitId);
      return sitesRepo.list(db, actor, { ...filter, subtreePath }, { ...pageWindow(page), sort: page.sort });
    },

    /** One site; 404 when it is outside the actor's subtree or deleted. */
    get: (actor: Actor, id: string) => mustFind(actor, id),

    /** One site of the actor's subtree inside another module's transaction; 404 when outside it or deleted. */
    getIn: (ctx: Pick<ChangeContext, 'tx'>, actor: Actor, id: string) => mustFind(actor, id, ctx.tx),

    /** Sites by id inside another module's transaction, whichever unit they belong to (the circles' members); the caller scopes. */
    findManyIn: (ctx: Pick<ChangeContext, 'tx'>, ids: readonly string[]) => sitesRepo.findMany(ctx.tx, ids),

    /** The sites of the actor's scope named one of `names`, with their unit's path (a spreadsheet names a site). */
    named: (actor: Actor, names: readonly string[]) => sitesRepo.findByNames(db, actor, names),

    /** The active sites of these kinds in the actor's scope nearest to a point, nearest first (dispatch suggestions). */
    nearest: (actor: Actor, at: readonly [number, number], kinds: readonly SiteKind[], limit: number) =>
      sitesRepo.nearest(db, actor, at, kinds, limit),

    /** The sites of these kinds among `ids` in the actor's scope, with unit path, county code and point (captures at checkpoints). */
    placesIn: (tx: Tx, actor: Actor, ids: readonly string[], kinds: readonly SiteKind[]) => sitesRepo.placesInScope(tx, actor, ids, kinds),

    /** Registers a site after checking its unit and that the location lies inside the unit's area. */
    async create(actor: Actor, input: CreateSiteInput) {
      const problems = siteRuleProblems(input);
      if (problems.length) throw validationFailed(problems);
      return runChange(actor, async (ctx) => {
        const unit = await checkPlacement(ctx, actor, input);
        const id = await sitesRepo.insert(ctx.tx, input);
        const site = await mustFind(actor, id, ctx.tx);
        ctx.audit({ action: 'site.create', entity: 'site', entityId: id, orgUnitId: unit.id, after: site });
        ctx.emit(siteEvent('site.created', unit, { site }));
        return site;
      });
    },

    /** Changes a site if nobody changed it since `version` was read (else 409 with the current version). */
    async update(actor: Actor, id: string, input: UpdateSiteInput) {
      const { version, ...changes } = input;
      return runChange(actor, async (ctx) => {
        const before = await mustFind(actor, id, ctx.tx);
        assertVersion(STALE, before, version);
        const merged = { ...before, ...changes };
        const problems = siteRuleProblems(merged);
        if (problems.length) throw validationFailed(problems);
        const oldUnit = (await orgRepo.findInScope(ctx.tx, actor, before.orgUnitId)) as OrgUnit;
        const unit = changes.orgUnitId !== undefined || changes.location !== undefined ? await checkPlacement(ctx, actor, merged) : oldUnit;
        if (!(await sitesRepo.update(ctx.tx, actor, id, version, changes))) {
          throw conflict(STALE);
        }
        const after = await mustFind(actor, id, ctx.tx);
        ctx.audit({ action: 'site.update', entity: 'site', entityId: id, orgUnitId: unit.id, before, after });
        if (unit.id !== oldUnit.id) ctx.emit(siteEvent('site.deleted', oldUnit, { site: { id } }));
        ctx.emit(siteEvent('site.updated', unit, { site: after }));
        return after;
      });
    },

    /** Hides a site with the reason given; the record stays for the audit trail. */
    async remove(actor: Actor, id: string, reason: string, version?: number) {
      await runChange(actor, async (ctx) => {
        const before = await mustFind(actor, id, ctx.tx);
        assertVersion(STALE, before, version);
        await sitesRepo.softDelete(ctx.tx, actor, id, reason);
        ctx.audit({ action: 'site.delete', entity: 'site', entityId: id, orgUnitId: before.orgUnitId, before, after: { reason } });
        const unit = (await orgRepo.findInScope(ctx.tx, actor, before.orgUnitId)) as OrgUnit;
        ctx.emit(siteEvent('site.deleted', unit, { site: { id } }));
      });
    },

    /** The filtered register as GeoJSON points for the map. */
    async featureCollection(actor: Actor, filter: SiteFilter) {
      const rows = await sitesRepo.features(db, actor, { ...filter, subtreePath: await subtreeFilter(db, actor, filter.orgUnitId) });
      return {
        type: 'FeatureCollection' as const,
        features: rows.map(({ lon, lat, ...properties }) => ({
          type: 'Feature' as const,
          id: properties.id,
          geometry: { type: 'Point', coordinates: [lon, lat] },
          properties,
        })),
      };
    },

    /** The filtered register as an Excel workbook in the import layout. */
    async exportWorkbook(actor: Actor, filter: SiteFilter) {
      const subtreePath = await subtreeFilter(db, actor, filter.orgUnitId);
      const { items } = await sitesRepo.list(db, actor, { ...filter, subtreePath }, { limit: 50_000, offset: 0, sort: 'name' });
      const codes = await orgRepo.findManyByCode(db, actor, { ids: [...new Set(items.map((s) => s.orgUnitId))] });
      const codeOf = new Map(codes.map((u) => [u.id, u.code]));
      const value: Record<(typeof SITE_SHEET_COLUMNS)[number]['field'], (s: Site) => string | number | Date | null> = {
        name: (s) => s.name,
        kind: (s) => SITE_KIND_LABELS[s.kind],
        grade: (s) => s.grade,
        orgUnitCode: (s) => codeOf.get(s.orgUnitId) ?? null,
        orgUnitName: (s) => s.orgUnitName,
        lon: (s) => s.location.coordinates[0],
        lat: (s) => s.location.coordinates[1],
        address: (s) => s.address,
        phone: (s) => s.phone,
        personInCharge: (s) => s.personInCharge,
        staffCount: (s) => s.staffCount,
        dutyHours: (s) => s.dutyHours,
        status: (s) => SITE_STATUS_LABELS[s.status],
        activeFrom: (s) => s.activeFrom,
        activeTo: (s) => s.activeTo,
        notes: (s) => s.notes,
      };
      const columns: SheetColumn<Site>[] = SITE_SHEET_COLUMNS.map((c) => ({
        header: c.header,
        width: c.field === 'name' || c.field === 'address' ? 28 : 14,
        value: value[c.field],
      }));
      return writeWorkbook('防控站点', columns, items);
    },

    /**
     * Imports a spreadsheet in the export layout as a job: every row is validated first, and
     * nothing is written unless every row is right; the job reports row, column and error.
     */
    startImport(actor: Actor, data: Buffer) {
      return jobs.start(actor.userId, 'sites.import', async (progress) => {
        progress.phase('reading');
        const sheet = await readImportSheet(data, SITE_SHEET_COLUMNS, ['name', 'kind', 'orgUnitCode', 'lon', 'lat'], IMPORT_MAX_ROWS);
        if ('failed' in sheet) return sheet;
        progress.phase('validating', sheet.rows.length);
        const checked = await checkImportRows(actor, sheet.rows, progress);
        if ('failed' in checked) return checked;
        progress.phase('writing', checked.inputs.length);
        const ids = await writeImport(actor, checked.inputs, checked.units);
        progress.advance(ids.length);
        return { result: { created: ids.length }, message: `${ids.length} sites imported` };
      });
    },
  };
}
export type SitesService = ReturnType<typeof createSitesService>;

/** A sheet row as the site it registers in the unit its code names. */
function siteInputOf(row: SiteSheetRow, orgUnitId: number): CreateSiteInput {
  return {
    name: row.name,
    kind: row.kind,
    grade: row.grade ?? null,
    orgUnitId,
    location: { type: 'Point', coordinates: [row.lon, row.lat] },
    address: row.address ?? null,
    phone: row.phone ?? null,
    personInCharge: row.personInCharge ?? null,
    staffCount: row.staffCount ?? null,
    dutyHours: row.dutyHours ?? null,
    status: row.status,
    activeFrom: row.activeFrom ?? null,
    activeTo: row.activeTo ?? null,
    notes: row.notes ?? null,
  };
}
