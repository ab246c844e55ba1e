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

/** `14:05:09` in Asia/Shanghai. */
export function formatClock(value: string | Date | number | null | undefined): string {
  if (value === null || value === undefined || value === '') return '';
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return '';
  return new Intl.DateTimeFormat(currentLocale(), {
    timeZone: TIME_ZONE,
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  }).format(date);
}

/** The calendar day `YYYY-MM-DD` in Asia/Shanghai (today by default): what the day-track API takes. */
export function shanghaiDate(value: Date = new Date()): string {
  // en-CA writes dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(value);
}

/** The month `YYYY-MM` in Asia/Shanghai (this month by default). */
export function shanghaiMonth(value: Date = new Date()): string {
  return shanghaiDate(value).slice(0, 7);
}

/** The year in Asia/Shanghai (this year by default): the year offices count by. */
export function shanghaiYear(value: Date = new Date()): number {
  return Number(shanghaiDate(value).slice(0, 4));
}

/** `count` years back from `from` (this year in Asia/Shanghai by default), newest first: a year picker's options. */
export function recentYears(count: number, from: number = shanghaiYear()): number[] {
  return Array.from({ length: count }, (_, i) => from - i);
}

/** `1:05:09` (hours:minutes:seconds) for a duration in seconds. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '';
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return `${h}:${String(m).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

/** Metres per second as `4.3 km/h` (what rangers and officers read); a dash when unknown. */
export function formatSpeed(metresPerSecond: number | null | undefined): string {
  if (metresPerSecond === null || metresPerSecond === undefined || !Number.isFinite(metresPerSecond)) return '—';
  return `${(metresPerSecond * 3.6).toFixed(1)} km/h`;
}

/** `1.24 km` above a kilometre, `350 m` below. */
export function formatDistance(metres: number | null | undefined): string {
  if (metres === null || metres === undefined || !Number.isFinite(metres)) return '—';
  return metres >= 1000 ? `${(metres / 1000).toFixed(2)} km` : `${Math.round(metres)} m`;
}

/** A 0..1 rate as `87.5%`; a dash when there is none. */
export function formatPercent(rate: number | null | undefined, digits = 1): string {
  if (rate === null || rate === undefined || !Number.isFinite(rate)) return '—';
  return `${(rate * 100).toFixed(digits)}%`;
}
