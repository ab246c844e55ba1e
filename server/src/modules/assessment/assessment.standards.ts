/**
 * Standards as data (考核标准): the city office writes a standard's item tree, veto and bonus
 * items and grade bands, as JSON or as an Excel workbook. A standard a round uses is never changed:
 * an edit then makes a new version, and the round keeps the one it started with.
 */
import type { Db } from '../../db/connection.js';
import type { Actor } from '../../platform/actor.js';
import type { RunChange } from '../../platform/change.js';
import { badRequest, conflict, type FieldProblem, found, validationFailed } from '../../platform/errors.js';
import { assertWorkbookSize, type CellValue } from '../../platform/spreadsheet.js';
import type { AssessmentRepo } from './assessment.repo.js';
import { DEFAULT_GRADES, ITEM_KIND_LABELS, ITEM_KINDS, StandardBody, type StandardInput } from './assessment.schema.js';
import { flatten, round2, sortedGrades, standardProblems } from './assessment.scoring.js';
import type { BonusItem, CurveStep, GradeBand, StandardItem, VetoItem } from './assessment.tables.js';

type Deps = { db: Db; assessmentRepo: AssessmentRepo; runChange: RunChange };

type StandardRow = NonNullable<Awaited<ReturnType<AssessmentRepo['findStandard']>>>;

/** A standard as the API answers it: its total points beside what is stored. */
export const publicStandard = (row: StandardRow) => ({
  ...row,
  totalPoints: round2(row.items.reduce((sum, item) => sum + item.maxPoints, 0)),
});

/** The content of a standard as it is stored: without empty optional fields, grades highest first. */
export function standardContent(input: StandardInput) {
  const clean = (item: StandardItem): StandardItem => ({
    code: item.code,
    title: item.title,
    maxPoints: item.maxPoints,
    kind: item.children?.length ? 'manual' : item.kind,
    ...(item.guidance ? { guidance: item.guidance } : {}),
    ...(item.evidence ? { evidence: item.evidence } : {}),
    ...(item.indicator && !item.children?.length ? { indicator: item.indicator } : {}),
    ...(item.pointsPerCase && item.kind === 'deduction' ? { pointsPerCase: item.pointsPerCase } : {}),
    ...(item.curve?.length && item.kind === 'indicator' ? { curve: item.curve } : {}),
    ...(item.children?.length ? { children: item.children.map(clean) } : {}),
  });
  return {
    name: input.name,
    version: input.version,
    description: input.description ?? null,
    items: input.items.map(clean),
    vetoItems: input.vetoItems.map((v) => ({
      code: v.code,
      title: v.title,
      ...(v.guidance ? { guidance: v.guidance } : {}),
      ...(v.indicator ? { indicator: v.indicator } : {}),
    })),
    bonusItems: input.bonusItems.map((b) => ({
      code: b.code,
      title: b.title,
      maxPoints: b.maxPoints,
      ...(b.guidance ? { guidance: b.guidance } : {}),
      ...(b.evidence ? { evidence: b.evidence } : {}),
    })),
    grades: sortedGrades(input.grades ?? DEFAULT_GRADES),
  };
}

const taken = (input: { name: string; version: string }) =>
  conflict(`A standard ${input.name} version ${input.version} exists already; give the new one another version`);

export function createStandardsService({ db, assessmentRepo, runChange }: Deps) {
  async function create(
    actor: Actor,
    input: StandardInput,
    options: { sample?: boolean; basedOnId?: string | null; prefix?: string } = {},
  ) {
    const problems = standardProblems(input, options.prefix ?? 'body');
    if (problems.length) throw validationFailed(problems);
    const content = standardContent(input);
    return runChange(actor, async (ctx) => {
      const id = await assessmentRepo.insertStandard(ctx.tx, {
        ...content,
        sample: options.sample ?? false,
        basedOnId: options.basedOnId ?? null,
        createdBy: actor.username,
      });
      if (!id) throw taken(input);
      ctx.audit({ action: 'assessment_standard.create', entity: 'assessment_standard', entityId: id, after: content });
      return { id };
    });
  }

  return {
    /** Every standard, newest first, with how many rounds use each. */
    list: async () => ({
      items: (await assessmentRepo.listStandards(db)).map((row) => {
        const { items: _items, vetoItems: _veto, bonusItems: _bonus, grades: _grades, ...summary } = publicStandard(row);
        return summary;
      }),
    }),

    /** One standard with its whole tree. */
    get: async (id: string) => publicStandard(found(await assessmentRepo.findStandard(db, id), 'Standard')),

    /** Records a standard after checking its tree (sums, unique codes, indicator keys). */
    create: (actor: Actor, input: StandardInput) => create(actor, input),

    /**
     * Changes a standard. One no round uses is rewritten in place; one a round uses stays as it
     * is and the content becomes a new version (its `version` label must be new).
     */
    async update(actor: Actor, id: string, input: StandardInput) {
      const before = found(await assessmentRepo.findStandard(db, id), 'Standard');
      if (before.rounds > 0) {
        if (input.name === before.name && input.version === before.version)
          throw conflict(
            `Standard ${before.name} ${before.version} is used by ${before.rounds} round(s) and stays as it is: give the new version another label`,
            [{ path: 'body.version', message: 'used by a round: a new version needs a new label' }],
          );
        return { ...(await create(actor, input, { basedOnId: id })), newVersion: true };
      }
      const problems = standardProblems(input);
      if (problems.length) throw validationFailed(problems);
      const content = standardContent(input);
      return runChange(actor, async (ctx) => {
        const other = await assessmentRepo.standardNamed(ctx.tx, content.name, content.version);
        if (other && other !== id) throw taken(input);
        await assessmentRepo.lockStandard(ctx.tx, id);
        if (!(await assessmentRepo.updateUnusedStandard(ctx.tx, id, content))) {
          throw conflict('A round started using this standard meanwhile; save your changes as a new version');
        }
        const { items, vetoItems, bonusItems, grades, name, version, description } = before;
        ctx.audit({
          action: 'assessment_standard.update',
          entity: 'assessment_standard',
          entityId: id,
          before: { name, version, description, items, vetoItems, bonusItems, grades },
          after: content,
        });
        return { id, newVersion: false };
      });
    },

    /** Reads a standard from a workbook in the export layout and records it. */
    async importWorkbook(actor: Actor, data: Buffer, fileName: string) {
      await assertWorkbookSize(data, fileName);
      const input = await readStandardWorkbook(data);
      return create(actor, input, { prefix: 'file' });
    },

    /** The standard as a workbook: the items sheet (the tree by parent codes, veto and bonus rows) and the information sheet. */
    async exportWorkbook(id: string) {
      const standard = publicStandard(found(await assessmentRepo.findStandard(db, id), 'Standard'));
      return { name: `${standard.name}-${standard.version}`, workbook: await writeStandardWorkbook(standard) };
    },

    /** Records the sample standard unless a standard of that name and version exists (the seed). */
    async ensureSample(actor: Actor, input: StandardInput) {
      if (await assessmentRepo.standardNamed(db, input.name, input.version)) return null;
      return create(actor, input, { sample: true });
    },
  };
}
export type StandardsService = ReturnType<typeof createStandardsService>;

// ---- the workbook layout ----

const ITEMS_SHEET = '考核标准';
const INFO_SHEET = '标准信息';
const ROW_TYPES = { item: '评分项', veto: '否决项', bonus: '加分项' } as const;
const COLUMNS = ['类型', '编码', '上级编码', '名称', '分值', '评分方式', '指标', '每例扣分', '评分曲线', '评分说明', '佐证材料'] as const;
type Column = (typeof COLUMNS)[number];
const KIND_BY_LABEL = new Map<string, StandardItem['kind']>(
  ITEM_KINDS.flatMap((k) => [[ITEM_KIND_LABELS[k], k] as const, [k, k] as const]),
);

/** A curve as a cell: `0.9..=10; 0.8..0.9=8; ..0.8=0` (min..max=points, either side open). */
export const curveText = (curve: CurveStep[] | null | undefined) =>
  (curve ?? []).map((c) => `${c.min ?? ''}..${c.max ?? ''}=${c.points}`).join('; ');

function readCurve(text: string): CurveStep[] | string {
  const steps: CurveStep[] = [];
  for (const part of text
    .split(/[;；]/)
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = /^(-?\d+(?:\.\d+)?)?\s*\.\.\s*(-?\d+(?:\.\d+)?)?\s*=\s*(\d+(?:\.\d+)?)$/.exec(part);
    if (!m) return `not a curve step: ${part} (write min..max=points, e.g. 0.9..=10; 0.8..0.9=8; ..0.8=0)`;
    steps.push({ ...(m[1] ? { min: Number(m[1]) } : {}), ...(m[2] ? { max: Number(m[2]) } : {}), points: Number(m[3]) });
  }
  return steps;
}

/** Grades as a cell: `优秀:90; 良好:80; 合格:60; 不合格:0`. */
const gradesText = (grades: GradeBand[]) => grades.map((g) => `${g.name}:${g.min}`).join('; ');

async function writeStandardWorkbook(standard: ReturnType<typeof publicStandard>): Promise<Buffer> {
  const ExcelJS = (await import('exceljs')).default;
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'SafeForest';
  const sheet = workbook.addWorksheet(ITEMS_SHEET, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = COLUMNS.map((header) => ({ header, width: ['名称', '评分说明', '佐证材料'].includes(header) ? 40 : 14 }));
  sheet.getRow(1).font = { bold: true };
  const row = (cells: Partial<Record<Column, CellValue | undefined>>) => sheet.addRow(COLUMNS.map((c) => cells[c] ?? null));
  for (const { item, parentCode } of flatten(standard.items)) {
    const group = Boolean(item.children?.length);
    row({
      类型: ROW_TYPES.item,
      编码: item.code,
      上级编码: parentCode,
      名称: item.title,
      分值: item.maxPoints,
      评分方式: group ? null : ITEM_KIND_LABELS[item.kind],
      指标: item.indicator,
      每例扣分: item.pointsPerCase,
      评分曲线: curveText(item.curve) || null,
      评分说明: item.guidance,
      佐证材料: item.evidence,
    });
  }
  for (const v of standard.vetoItems) row({ 类型: ROW_TYPES.veto, 编码: v.code, 名称: v.title, 指标: v.indicator, 评分说明: v.guidance });
  for (const b of standard.bonusItems)
    row({ 类型: ROW_TYPES.bonus, 编码: b.code, 名称: b.title, 分值: b.maxPoints, 评分说明: b.guidance, 佐证材料: b.evidence });
  const info = workbook.addWorksheet(INFO_SHEET);
  info.columns = [
    { header: '项目', width: 12 },
    { header: '内容', width: 60 },
  ];
  info.getRow(1).font = { bold: true };
  info.addRow(['名称', standard.name]);
  info.addRow(['版本', standard.version]);
  info.addRow(['说明', standard.description ?? '']);
  info.addRow(['等级', gradesText(standard.grades)]);
  info.addRow(['总分', standard.totalPoints]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

function cellText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'object') {
    const v = value as { richText?: { text: string }[]; result?: unknown; text?: unknown };
    if (v.richText)
      return (
        v.richText
          .map((t) => t.text)
          .join('')
          .trim() || null
      );
    if ('result' in v) return cellText(v.result);
    if ('text' in v) return String(v.text).trim() || null;
    return null;
  }
  return String(value).trim() || null;
}

/** Reads a standard from a workbook in the export layout; every problem is named by sheet, row and column. */
async function readStandardWorkbook(data: Buffer): Promise<StandardInput> {
  const ExcelJS = (await import('exceljs')).default;
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(data as unknown as ArrayBuffer);
  } catch {
    throw badRequest('The file is not an Excel workbook (.xlsx)', [{ path: 'body.file', message: 'not an .xlsx workbook' }]);
  }
  const items = workbook.getWorksheet(ITEMS_SHEET) ?? workbook.worksheets[0];
  const info = workbook.getWorksheet(INFO_SHEET);
  if (!items || !info)
    throw badRequest(`The workbook needs the sheets ${ITEMS_SHEET} and ${INFO_SHEET}, as the export writes them`, [
      { path: 'body.file', message: `sheets ${ITEMS_SHEET} and ${INFO_SHEET} expected` },
    ]);
  const problems: FieldProblem[] = [];
  const infoValues = new Map<string, string | null>();
  info.eachRow((row, n) => {
    if (n > 1) infoValues.set(cellText(row.getCell(1).value) ?? '', cellText(row.getCell(2).value));
  });
  const headers: string[] = [];
  items.getRow(1).eachCell((cell, col) => {
    headers[col] = cellText(cell.value) ?? '';
  });
  for (const needed of ['类型', '编码', '名称'] as const)
    if (!headers.includes(needed)) problems.push({ path: `body.file.${ITEMS_SHEET}.${needed}`, message: `column ${needed} missing` });
  if (problems.length) throw validationFailed(problems);

  const tree: StandardItem[] = [];
  const byCode = new Map<string, StandardItem>();
  const vetoItems: VetoItem[] = [];
  const bonusItems: BonusItem[] = [];
  items.eachRow((row, n) => {
    if (n === 1) return;
    const cell = (name: Column) => {
      const col = headers.indexOf(name);
      return col < 1 ? null : cellText(row.getCell(col).value);
    };
    const at = (name: Column) => `body.file.${ITEMS_SHEET}.row${n}.${name}`;
    const number = (name: Column): number | null => {
      const t = cell(name);
      if (t === null) return null;
      const v = Number(t);
      if (!Number.isFinite(v)) {
        problems.push({ path: at(name), message: `not a number: ${t}` });
        return null;
      }
      return v;
    };
    const type = cell('类型');
    const code = cell('编码');
    const title = cell('名称');
    if (!type && !code && !title) return;
    if (!code) return void problems.push({ path: at('编码'), message: 'required' });
    if (!title) return void problems.push({ path: at('名称'), message: 'required' });
    const guidance = cell('评分说明');
    const evidence = cell('佐证材料');
    if (type === ROW_TYPES.veto) {
      vetoItems.push({ code, title, ...(guidance ? { guidance } : {}), ...(cell('指标') ? { indicator: cell('指标') } : {}) });
      return;
    }
    const maxPoints = number('分值');
    if (maxPoints === null) return void problems.push({ path: at('分值'), message: 'required' });
    if (type === ROW_TYPES.bonus) {
      bonusItems.push({ code, title, maxPoints, ...(guidance ? { guidance } : {}), ...(evidence ? { evidence } : {}) });
      return;
    }
    if (type !== ROW_TYPES.item) return void problems.push({ path: at('类型'), message: `one of ${Object.values(ROW_TYPES).join(', ')}` });
    const kindText = cell('评分方式');
    const kind = kindText ? KIND_BY_LABEL.get(kindText) : 'manual';
    if (!kind) return void problems.push({ path: at('评分方式'), message: `one of ${Object.values(ITEM_KIND_LABELS).join(', ')}` });
    const curveCell = cell('评分曲线');
    const curve = curveCell ? readCurve(curveCell) : null;
    if (typeof curve === 'string') return void problems.push({ path: at('评分曲线'), message: curve });
    const indicator = cell('指标');
    const pointsPerCase = number('每例扣分');
    const item: StandardItem = {
      code,
      title,
      maxPoints,
      kind,
      ...(guidance ? { guidance } : {}),
      ...(evidence ? { evidence } : {}),
      ...(indicator ? { indicator } : {}),
      ...(pointsPerCase !== null ? { pointsPerCase } : {}),
      ...(curve?.length ? { curve } : {}),
    };
    const parentCode = cell('上级编码');
    if (parentCode) {
      const parent = byCode.get(parentCode);
      if (!parent) return void problems.push({ path: at('上级编码'), message: `no item ${parentCode} above this row` });
      parent.children = [...(parent.children ?? []), item];
    } else tree.push(item);
    if (!byCode.has(code)) byCode.set(code, item);
  });
  const grades: GradeBand[] = [];
  for (const part of (infoValues.get('等级') ?? '')
    .split(/[;；]/)
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = /^(.+?)\s*[:：]\s*(\d+(?:\.\d+)?)$/.exec(part);
    if (!m) problems.push({ path: `body.file.${INFO_SHEET}.等级`, message: `not a grade: ${part} (write 优秀:90; 良好:80; …)` });
    else grades.push({ name: m[1], min: Number(m[2]) });
  }
  if (problems.length) throw validationFailed(problems);
  const parsed = StandardBody.safeParse({
    name: infoValues.get('名称') ?? '',
    version: infoValues.get('版本') ?? '',
    description: infoValues.get('说明') ?? null,
    items: tree,
    vetoItems,
    bonusItems,
    ...(grades.length ? { grades } : {}),
  });
  if (!parsed.success)
    throw validationFailed(
      parsed.error.issues.map((i) => ({ path: ['body', 'file', ...i.path.map(String)].join('.'), message: i.message })),
    );
  return parsed.data;
}
