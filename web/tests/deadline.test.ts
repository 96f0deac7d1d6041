// The deadline preview mirrors the API's rule: the same cases as tests/unit/test_working_time.py
// (the regency's default schedule, the 2026 days off of the SKB 3 Menteri).
import { describe, expect, it } from 'vitest';
import {
  deadline,
  hoursFor,
  proposedDeadline,
  workingTime,
  witaDay,
  yearsAhead,
} from '../src/lib/deadline';
import type { YearCalendar } from '../src/api/client';

const DAYS_OFF_2026 = [
  '2026-03-18', '2026-03-19', '2026-03-20', '2026-03-21', '2026-03-22', '2026-03-23',
  '2026-03-24', '2026-12-24', '2026-12-25',
];
const cal2026 = (ramadan?: { first: string; last: string }): YearCalendar => ({
  year: 2026,
  configured: true,
  days_off: DAYS_OFF_2026.map((on) => ({ on, name: 'Libur', kind: 'national' as const })),
  ramadan: ramadan ?? null,
});
const REGENCY = workingTime([cal2026()]);

/** WITA wall clock → epoch ms. */
function wita(y: number, m: number, d: number, h = 0, min = 0): number {
  return Date.UTC(y, m - 1, d, h - 8, min);
}

describe('default deadline by urgensi', () => {
  const cases: [string, number, number][] = [
    ['biasa', wita(2026, 11, 30, 2, 54), wita(2026, 12, 7, 16)],
    ['amat_segera', wita(2026, 11, 30, 2, 54), wita(2026, 12, 1, 16)],
    ['amat_segera', wita(2026, 11, 27, 10), wita(2026, 11, 30, 16)],
    ['amat_segera', wita(2026, 11, 28, 10), wita(2026, 11, 30, 16)],
    ['amat_segera', wita(2026, 11, 30, 19), wita(2026, 12, 1, 16)],
    ['amat_segera', wita(2026, 12, 23, 10), wita(2026, 12, 28, 16)],
    ['segera', wita(2026, 12, 23, 10), wita(2026, 12, 29, 16)],
    ['segera', wita(2026, 3, 17, 10), wita(2026, 3, 26, 16)],
    ['biasa', wita(2026, 3, 16, 9), wita(2026, 3, 30, 16)],
    ['biasa', wita(2026, 12, 21, 8), wita(2026, 12, 30, 16)],
    ['segera', wita(2026, 11, 25, 9), wita(2026, 11, 27, 16, 30)],
  ];
  it.each(cases)('%s from %d', (urgensi, start, end) => {
    const got = proposedDeadline(start, urgensi as 'biasa', undefined, REGENCY);
    expect(new Date(got).toISOString()).toBe(new Date(end).toISOString());
  });
});

describe('working time', () => {
  it('ends with Ramadan hours in Ramadan', () => {
    const wt = workingTime([cal2026({ first: '2026-02-18', last: '2026-03-19' })]);
    expect(proposedDeadline(wita(2026, 3, 2, 9), 'amat_segera', undefined, wt)).toBe(wita(2026, 3, 3, 15));
    expect(proposedDeadline(wita(2026, 3, 4, 9), 'segera', undefined, wt)).toBe(wita(2026, 3, 6, 15, 30));
  });

  it('a few hours end with their day, or the next when it is over', () => {
    const settings = { amat_segera_hours: 2 };
    expect(proposedDeadline(wita(2026, 11, 30, 15, 30), 'amat_segera', settings, REGENCY)).toBe(
      wita(2026, 11, 30, 16),
    );
    expect(proposedDeadline(wita(2026, 11, 30, 16, 30), 'amat_segera', settings, REGENCY)).toBe(
      wita(2026, 12, 1, 16),
    );
  });

  it('follows the settings', () => {
    const settings = { amat_segera_hours: 8, segera_hours: 30, biasa_working_days: 2 };
    const friday = wita(2026, 11, 27, 20);
    expect(proposedDeadline(friday, 'amat_segera', settings, REGENCY)).toBe(wita(2026, 11, 30, 16));
    expect(proposedDeadline(friday, 'segera', settings, REGENCY)).toBe(wita(2026, 12, 1, 16));
    expect(proposedDeadline(friday, 'biasa', settings, REGENCY)).toBe(wita(2026, 12, 1, 16));
  });

  it('the schedule decides the working days', () => {
    const sixDays = workingTime([], { workdays: [1, 2, 3, 4, 5, 6] });
    expect(deadline(wita(2026, 11, 27, 10), 24, sixDays)).toBe(wita(2026, 11, 28, 16));
  });

  it('a schedule that works on holidays ignores the days off', () => {
    const hospital = workingTime([cal2026()], { observes_holidays: false });
    expect(deadline(wita(2026, 12, 23, 10), 24, hospital)).toBe(wita(2026, 12, 24, 16));
  });

  it('a forward is never due after the forwarded one', () => {
    const parent = new Date(wita(2026, 12, 2, 12)).toISOString();
    expect(proposedDeadline(wita(2026, 11, 30, 9), 'biasa', undefined, REGENCY, parent)).toBe(
      wita(2026, 12, 2, 12),
    );
  });

  it('hours by urgensi come from the settings, with the API defaults', () => {
    expect(hoursFor('amat_segera', undefined)).toBe(24);
    expect(hoursFor('segera', undefined)).toBe(48);
    expect(hoursFor('biasa', undefined)).toBe(120);
    expect(hoursFor(undefined, { biasa_working_days: 3 })).toBe(72);
  });

  it('counts days in WITA and knows which calendars to ask for', () => {
    expect(witaDay(Date.UTC(2026, 11, 31, 16, 30))).toBe('2027-01-01');
    expect(yearsAhead(wita(2026, 12, 28, 9))).toEqual([2026, 2027]);
    expect(yearsAhead(wita(2026, 11, 1, 0))).toEqual([2026, 2027]);
    expect(yearsAhead(wita(2026, 6, 1, 9))).toEqual([2026]);
  });
});
