import { currentLocale } from '@/i18n';

/** Times are shown in Asia/Shanghai whatever the browser's zone (see architecture.md). */
const TIME_ZONE = 'Asia/Shanghai';

export function formatDateTime(value: string | Date | null | undefined): string {
  if (!value) return '';
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return '';
  return new Intl.DateTimeFormat(currentLocale(), {
    timeZone: TIME_ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(date);
}

export function formatDate(value: string | Date | null | undefined): string {
  if (!value) return '';
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return '';
  return new Intl.DateTimeFormat(currentLocale(), { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(date);
}

/** `102.54321, 24.35123` — six decimals is about 0.1 m. */
export function formatLonLat(coordinates: readonly number[] | null | undefined): string {
  if (!coordinates) return '';
  return `${coordinates[0].toFixed(6)}, ${coordinates[1].toFixed(6)}`;
}

/** `14:05` in Asia/Shanghai. */
export function formatTime(value: string | Date | null | undefined): string {
  if (!value) return '';
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return '';
  return new Intl.DateTimeFormat(currentLocale(), { timeZone: TIME_ZONE, hour: '2-digit', minute: '2-digit', hour12: false }).format(date);
}
