// Months and days as the regency counts them (WITA), for the pickers of the heads' and BKPSDM's
// screens: "YYYY-MM" stepped back and forth, the last month that has ended (the TPP report's
// default: a month not over is refused), today's date. Pure: every function takes "now".

const WITA_MS = 8 * 3600_000;
const MONTHS = [
  'Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni',
  'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember',
];

/** Today in WITA, "YYYY-MM-DD" (the API's days are WITA days whatever the phone's zone). */
export function todayWita(now: number = Date.now()): string {
  return new Date(now + WITA_MS).toISOString().slice(0, 10);
}

/** "2026-12" → "2026-11" (step -1), "2027-01" (step 1). */
export function addMonths(month: string, step: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) + step;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** The month of `now` in WITA. */
export function currentMonth(now: number = Date.now()): string {
  return todayWita(now).slice(0, 7);
}

/** The latest month that has ended in WITA: what a TPP report can be computed for. */
export function lastEndedMonth(now: number = Date.now()): string {
  return addMonths(currentMonth(now), -1);
}

/** A month may be asked for: it has ended in WITA. */
export function hasEnded(month: string, now: number = Date.now()): boolean {
  return month < currentMonth(now);
}

/** "2026-11" → "November 2026". */
export function monthLabel(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return `${MONTHS[m - 1] ?? month} ${y}`;
}

/** A well-formed "YYYY-MM" (what the API's pattern accepts). */
export function isMonth(value: string): boolean {
  return /^[12]\d{3}-(0[1-9]|1[0-2])$/.test(value);
}

/** "2026-12-07" stepped by whole days. */
export function addDays(day: string, step: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + step);
  return d.toISOString().slice(0, 10);
}
