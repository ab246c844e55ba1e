/** How the indicator page shows a value: by its unit, in the reader's language. */
import type { IndicatorValue } from '@/api/indicators';
import { formatPercent } from '@/utils/format';

type Translate = (key: string, values?: Record<string, unknown>) => string;

/** The value as read next to its name; a dash when nothing could be counted. */
export function formatIndicator(item: Pick<IndicatorValue, 'value' | 'unit'>, t: Translate): string {
  const { value, unit } = item;
  if (value === null) return '—';
  switch (unit) {
    case 'ratio':
      return formatPercent(value);
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

/** The years an office may ask for: this one and the nine before it. */
export function selectableYears(now = new Date()): number[] {
  const year = Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(now));
  return Array.from({ length: 10 }, (_, i) => year - i);
}
