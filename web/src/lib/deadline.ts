// The deadline the server will compute for a disposition, to show it before sending: the same
// rule as the API's (layers/eoffice/eoffice/calendar/working_time.py and
// dispositions/policy.default_deadline), mirrored here as pure functions. The API stays the
// authority: it computes the deadline again when the disposition arrives.
//
// amat segera: 24 hours of working time; segera: 48; otherwise N working days (24 h each; all
// from the settings). Working time runs on the clock, on working days only (the schedule's
// workdays, minus the calendar's days off). The deadline is the end of the working hours of the
// working day on which that time runs out; when that end is not after the start, the end of the
// next working day. A forwarded disposition is never due after the one it forwards.

import type { DispositionSettings, Schemas, Urgensi, YearCalendar } from '../api/client';

type WorkSchedule = Schemas['WorkSchedule'];

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** WITA, the regency's time: UTC+8 all year (no daylight saving). */
const OFFSET = 8 * HOUR;

export interface WorkingTime {
  /** ISO weekdays worked: 1 Monday ... 7 Sunday. */
  workdays: number[];
  /** Days off, YYYY-MM-DD. */
  daysOff: Set<string>;
  /** When a working day's hours end, HH:MM WITA. */
  closes(day: string): string;
}

/** The defaults the API uses when nothing is stored (attendance/schedule.py regency_default). */
export const DEFAULT_SCHEDULE = {
  workdays: [1, 2, 3, 4, 5],
  regular: { start: '07:30', end: '16:00' },
  friday: { start: '07:30', end: '16:30' },
  ramadan: { start: '08:00', end: '15:00' },
  ramadan_friday: { start: '08:00', end: '15:30' },
  observes_holidays: true,
};

export const DEFAULT_SETTINGS = { amat_segera_hours: 24, segera_hours: 48, biasa_working_days: 5 };

export function hoursFor(urgensi: Urgensi | undefined, settings: Partial<DispositionSettings> | undefined): number {
  const s = { ...DEFAULT_SETTINGS, ...settings };
  if (urgensi === 'amat_segera') return s.amat_segera_hours;
  if (urgensi === 'segera') return s.segera_hours;
  return 24 * s.biasa_working_days;
}

/** Working time from the calendars of the years concerned and the regency's schedule. */
export function workingTime(
  calendars: YearCalendar[],
  schedule: Partial<WorkSchedule> = {},
): WorkingTime {
  const s = { ...DEFAULT_SCHEDULE, ...schedule };
  const daysOff = new Set<string>();
  if (s.observes_holidays !== false) {
    for (const c of calendars) for (const d of c.days_off ?? []) daysOff.add(d.on);
  }
  const ramadan = calendars.flatMap((c) => (c.ramadan ? [c.ramadan] : []));
  return {
    workdays: s.workdays,
    daysOff,
    closes(day) {
      const friday = isoWeekday(day) === 5;
      const inRamadan = ramadan.some((r) => r.first <= day && day <= r.last);
      const hours = inRamadan ? (friday ? s.ramadan_friday : s.ramadan) : friday ? s.friday : s.regular;
      return hours.end;
    },
  };
}

/** YYYY-MM-DD of an instant, in WITA. */
export function witaDay(instant: number): string {
  return new Date(instant + OFFSET).toISOString().slice(0, 10);
}

/** The instant of a WITA wall-clock time on a day. */
export function witaInstant(day: string, hhmm = '00:00'): number {
  return Date.parse(`${day}T${hhmm}:00+08:00`);
}

function isoWeekday(day: string): number {
  const d = new Date(`${day}T00:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
}

function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + DAY).toISOString().slice(0, 10);
}

export function isWorkingDay(day: string, wt: WorkingTime): boolean {
  return wt.workdays.includes(isoWeekday(day)) && !wt.daysOff.has(day);
}

const HORIZON = 3660;

function nextWorkingDay(day: string, wt: WorkingTime): string {
  for (let i = 0; i < HORIZON; i++) {
    if (isWorkingDay(day, wt)) return day;
    day = nextDay(day);
  }
  throw new Error('the calendar has no working days ahead');
}

/** The working day on which `hours` of working time since `start` run out, and the instant. */
export function runOut(start: number, hours: number, wt: WorkingTime): { day: string; at: number } {
  let current = start;
  if (hours <= 0) return { day: nextWorkingDay(witaDay(current), wt), at: current };
  let remaining = hours * HOUR;
  for (let i = 0; i < HORIZON; i++) {
    const day = witaDay(current);
    const dayEnd = witaInstant(nextDay(day));
    if (isWorkingDay(day, wt)) {
      const available = dayEnd - current;
      if (remaining <= available) return { day, at: current + remaining };
      remaining -= available;
    }
    current = dayEnd;
  }
  throw new Error('the calendar has no working days ahead');
}

/** The deadline for `hours` of working time from `start`: the close of the due day. */
export function deadline(start: number, hours: number, wt: WorkingTime): number {
  let day = runOut(start, hours, wt).day;
  for (let i = 0; i < HORIZON; i++) {
    const end = witaInstant(day, wt.closes(day));
    if (end > start) return end;
    day = nextWorkingDay(nextDay(day), wt);
  }
  throw new Error('the calendar has no working days ahead');
}

/** What the server will set when the sender names no deadline (capped by the forwarded one's). */
export function proposedDeadline(
  now: number,
  urgensi: Urgensi | undefined,
  settings: Partial<DispositionSettings> | undefined,
  wt: WorkingTime,
  parentDeadline?: string | null,
): number {
  const computed = deadline(now, hoursFor(urgensi, settings), wt);
  if (parentDeadline) return Math.min(computed, Date.parse(parentDeadline));
  return computed;
}

/** The calendars a proposal may need: this year's, and from November the next one's too
 * (a deadline is days or weeks away). One list for every urgensi, so one kept copy serves all. */
export function yearsAhead(now: number): number[] {
  const day = witaDay(now);
  const year = Number(day.slice(0, 4));
  return day.slice(5) >= '11-01' ? [year, year + 1] : [year];
}
