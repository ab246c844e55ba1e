/** What the assessment's pages share: tag colours, grade colours, points and the translation of server words. */
import type { EntryStatus, RoundLevel } from '@/api/assessment';

export const STATUS_TAG: Record<EntryStatus, 'info' | 'warning' | 'primary' | 'success'> = {
  draft: 'info',
  submitted: 'warning',
  reviewing: 'primary',
  final: 'success',
};

/** Grade bands are the standard's data (names such as 优秀); the default four get fixed colours, others a neutral one. */
const GRADE_COLORS: Record<string, string> = { 优秀: '#15803d', 良好: '#65a30d', 合格: '#ca8a04', 不合格: '#b91c1c' };
const SPARE_COLORS = ['#0e7490', '#7c3aed', '#c2410c', '#475569'];
export function gradeColor(grade: string | null | undefined, order: string[] = []): string {
  if (!grade) return '#cbd5d1';
  if (GRADE_COLORS[grade]) return GRADE_COLORS[grade];
  const i = order.indexOf(grade);
  return SPARE_COLORS[Math.max(0, i) % SPARE_COLORS.length];
}
export const GRADE_KEYS: Record<string, string> = { 优秀: 'excellent', 良好: 'good', 合格: 'pass', 不合格: 'fail' };

/** Points as the sheet shows them: up to two decimals, no trailing zeros; a dash when there are none. */
export function formatPoints(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  return String(Math.round(value * 100) / 100);
}

/** Who opens which level of round: the city its counties, a county its townships. */
export const levelFor = (orgKind: string | undefined): RoundLevel | null =>
  orgKind === 'city' ? 'county' : orgKind === 'county' ? 'township' : null;

/** The indicator value in words: a ratio as a percentage, counts and minutes with their unit. */
export function formatIndicator(value: number | null, unit: string | null, t: (key: string, p?: Record<string, unknown>) => string) {
  if (value === null) return '—';
  if (unit === 'ratio') return `${(value * 100).toFixed(1)}%`;
  if (unit === 'yes_no') return value ? t('assessment.indicator.yes') : t('assessment.indicator.no');
  const known = ['count', 'minutes', 'km', 'percent'];
  return unit && known.includes(unit) ? t(`assessment.indicator.unit.${unit}`, { n: formatPoints(value) }) : formatPoints(value);
}
