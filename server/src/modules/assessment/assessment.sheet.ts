/**
 * The score sheet of one entry (考核评分表) as a workbook: the result, then every item with its
 * self score, review score and the points that count, and why — a manual score with its note, a
 * computed one with its indicator value and the records behind it, a deduction with its cases,
 * an adjustment with its reason — then the veto items and the site inspections.
 */
import { ENTRY_STATUS_LABELS, type Entry, ITEM_KIND_LABELS } from './assessment.schema.js';
import { explainCases, explainComputed } from './assessment.scoring.js';

const LEVEL_LABELS = { county: '县级单位考评（市级评定）', township: '乡镇级单位考评（县级评定）' } as const;

/** Why an item has the points it has, in words. */
export function explanation(item: Entry['items'][number]): string {
  const parts: string[] = [];
  const self = item.self;
  if (item.computed) parts.push(explainComputed(item.computed, item));
  if (self?.cases) parts.push(explainCases(self.cases, item.pointsPerCase));
  if (self?.note) parts.push(`自查说明：${self.note}`);
  if (self?.reason) parts.push(`自查调整理由：${self.reason}`);
  if (self?.evidenceFileIds.length) parts.push(`佐证材料 ${self.evidenceFileIds.length} 份（${self.evidenceFileIds.join('、')}）`);
  const review = item.review;
  if (review?.cases) parts.push(`评定${explainCases(review.cases, item.pointsPerCase)}`);
  if (review?.reason) parts.push(`评定调整理由：${review.reason}`);
  if (review?.note) parts.push(`评定说明：${review.note}`);
  if (!parts.length && item.leaf) parts.push(self ? '人工评分（未附说明）' : '未评分');
  return parts.join('\n');
}

export async function writeEntrySheet(entry: Entry): Promise<Buffer> {
  const ExcelJS = (await import('exceljs')).default;
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'SafeForest';
  const sheet = workbook.addWorksheet('评分表', { views: [{ state: 'frozen', ySplit: 9 }] });
  sheet.columns = [{ width: 10 }, { width: 44 }, { width: 8 }, { width: 10 }, { width: 10 }, { width: 10 }, { width: 10 }, { width: 80 }];
  const title = sheet.addRow([`${entry.year}年度平安林区创建考评评分表`]);
  title.font = { bold: true, size: 14 };
  sheet.addRow(['被考评单位', `${entry.unitName}（${entry.unitCode ?? ''}）`, null, '考评类别', LEVEL_LABELS[entry.level]]);
  sheet.addRow([
    '评定单位',
    entry.roundUnitName,
    null,
    '考核标准',
    `${entry.standard.name} ${entry.standard.version}${entry.standard.sample ? '（示例）' : ''}`,
  ]);
  sheet.addRow(['状态', ENTRY_STATUS_LABELS[entry.status], null, '自查得分', entry.selfScore, '评定得分', entry.reviewScore]);
  sheet.addRow(['最终得分', entry.finalScore, null, '等级', entry.grade, '一票否决', entry.vetoed ? '是' : '否']);
  sheet.addRow([
    '推优资格',
    entry.eligible ? '具备' : `不具备：${entry.ineligibleReason ?? ''}`,
    null,
    '自查提交',
    entry.submittedAt ? `${entry.submittedAt.toISOString()} ${entry.submittedBy ?? ''}` : '',
    '定级',
    entry.finalizedAt ? `${entry.finalizedAt.toISOString()} ${entry.finalizedBy ?? ''}` : '',
  ]);
  sheet.addRow([]);
  sheet.addRow(['评分项目']).font = { bold: true };
  const header = sheet.addRow(['编码', '项目', '分值', '评分方式', '自查得分', '评定得分', '得分', '评分依据']);
  header.font = { bold: true };
  for (const item of entry.items) {
    const row = sheet.addRow([
      item.code,
      `${'　'.repeat(item.depth)}${item.type === 'bonus' ? '【加分项】' : ''}${item.title}`,
      item.maxPoints,
      item.leaf ? (item.type === 'bonus' ? '加分' : ITEM_KIND_LABELS[item.kind]) : '小计',
      item.self?.points ?? null,
      item.review?.points ?? null,
      item.points,
      explanation(item),
    ]);
    row.alignment = { wrapText: true, vertical: 'top' };
    if (!item.leaf) row.font = { bold: true };
  }
  sheet.addRow([]);
  sheet.addRow(['一票否决项']).font = { bold: true };
  sheet.addRow(['编码', '项目', null, '结果', null, null, null, '依据']).font = { bold: true };
  for (const veto of entry.vetoes) {
    const basis = [veto.computed ? explainComputed(veto.computed) : null, veto.reason].filter(Boolean).join('\n');
    sheet.addRow([veto.code, veto.title, null, veto.hit ? '否决' : '未触发', null, null, null, basis]).alignment = {
      wrapText: true,
      vertical: 'top',
    };
  }
  if (entry.inspections.length) {
    sheet.addRow([]);
    sheet.addRow(['实地检查']).font = { bold: true };
    sheet.addRow(['日期', '检查人员', null, null, null, null, null, '检查情况']).font = { bold: true };
    for (const i of entry.inspections)
      sheet.addRow([
        i.date,
        i.inspectors,
        null,
        null,
        null,
        null,
        null,
        `${i.findings}${i.fileIds.length ? `\n附件：${i.fileIds.join('、')}` : ''}`,
      ]).alignment = {
        wrapText: true,
        vertical: 'top',
      };
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
