// Dates and ages as an Indonesian reader expects them (WITA: the regency's time zone).

export const ZONE = 'Asia/Makassar';

const dateFmt = new Intl.DateTimeFormat('id-ID', {
  timeZone: ZONE,
  day: 'numeric',
  month: 'long',
  year: 'numeric',
});
const shortFmt = new Intl.DateTimeFormat('id-ID', {
  timeZone: ZONE,
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
});
const weekdayFmt = new Intl.DateTimeFormat('id-ID', {
  timeZone: ZONE,
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

export function date(value: string | null | undefined): string {
  if (!value) return '–';
  // A plain date (2026-12-07) is a calendar day, not an instant.
  const d = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T12:00:00+08:00`) : new Date(value);
  return Number.isNaN(d.getTime()) ? value : dateFmt.format(d);
}

export function dateTime(value: string | null | undefined): string {
  if (!value) return '–';
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? value : shortFmt.format(d);
}

export function longDateTime(value: Date | string): string {
  const d = typeof value === 'string' ? new Date(value) : value;
  return `${weekdayFmt.format(d)} WITA`;
}

/** "baru saja", "5 menit lalu", "3 jam lalu", "2 hari lalu". */
export function ago(then: number, now: number = Date.now()): string {
  const seconds = Math.max(0, Math.round((now - then) / 1000));
  if (seconds < 60) return 'baru saja';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} menit lalu`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${hours} jam lalu`;
  const days = Math.round(hours / 24);
  return `${days} hari lalu`;
}
