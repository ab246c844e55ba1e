/** How the indicator page shows a value: by its unit, in the reader's language (no i18n import: unit-tested in Node). */
import type { IndicatorValue } from '@/api/indicators';

type Translate = (key: string, values?: Record<string, unknown>) => string;

/** The value as read next to its name; a dash when nothing could be counted. */
export function formatIndicator(item: Pick<IndicatorValue, 'value' | 'unit'>, t: Translate): string {
  const { value, unit } = item;
  if (value === null) return '—';
  switch (unit) {
    case 'ratio':
      // A small rate keeps two decimals, so that it does not read as nothing at all.
      return `${(value * 100).toFixed(value > 0 && value < 0.01 ? 2 : 1)}%`;
    case 'percent':
      return `${Math.round(value * 10) / 10}%`;
    case 'yes_no':
      return t(value ? 'indicators.yes' : 'indicators.no');
    case 'count':
      return String(Math.round(value));
    default:
      return String(Math.round(value * 100) / 100);
  }
}

/** The unit's word after the figure (none for counts, for ratios shown as percentages, and for yes/no). */
export function unitSuffix(unit: IndicatorValue['unit'], t: Translate): string {
  return unit === 'km' || unit === 'hours' || unit === 'minutes' ? t(`indicators.unit.${unit}`) : '';
}

/** The order the page shows the modules' indicators in: the patrol network, the command centre, the register. */
const MODULE_ORDER = ['performance', 'incidents', 'hotspots', 'alerts', 'sites'];

/** The indicators grouped by module in `MODULE_ORDER` (others after them), each module's in the order they came. */
export function byModule<T extends { module: string }>(items: T[]): T[] {
  const rank = (m: string) => (MODULE_ORDER.includes(m) ? MODULE_ORDER.indexOf(m) : MODULE_ORDER.length);
  return items
    .map((item, i) => ({ item, i }))
    .sort((a, b) => rank(a.item.module) - rank(b.item.module) || a.i - b.i)
    .map((x) => x.item);
}
