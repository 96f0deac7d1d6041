// Month navigation as the regency counts months (WITA): stepping across years, the month that
// has ended at 01:00 WITA on the 1st (still the day before in UTC), labels.
import { describe, expect, it } from 'vitest';
import { addDays, addMonths, currentMonth, hasEnded, isMonth, lastEndedMonth, monthLabel, todayWita } from '../src/lib/months';

describe('months', () => {
  it('steps across year ends both ways', () => {
    expect(addMonths('2026-12', 1)).toBe('2027-01');
    expect(addMonths('2027-01', -1)).toBe('2026-12');
    expect(addMonths('2026-03', -15)).toBe('2024-12');
    expect(addMonths('2026-11', 0)).toBe('2026-11');
  });

  it('takes the month and day in WITA, not UTC', () => {
    // 17:30 UTC on 30 November is 01:30 WITA on 1 December: November has ended.
    const now = Date.parse('2026-11-30T17:30:00Z');
    expect(todayWita(now)).toBe('2026-12-01');
    expect(currentMonth(now)).toBe('2026-12');
    expect(lastEndedMonth(now)).toBe('2026-11');
    expect(hasEnded('2026-11', now)).toBe(true);
    expect(hasEnded('2026-12', now)).toBe(false);
    // An hour earlier in UTC it is still November in WITA (23:59 is 15:59 UTC).
    const before = Date.parse('2026-11-30T15:59:00Z');
    expect(lastEndedMonth(before)).toBe('2026-10');
    expect(hasEnded('2026-11', before)).toBe(false);
  });

  it('labels in Bahasa and checks the API pattern', () => {
    expect(monthLabel('2026-02')).toBe('Februari 2026');
    expect(isMonth('2026-12')).toBe(true);
    expect(isMonth('2026-13')).toBe(false);
    expect(isMonth('2026-1')).toBe(false);
  });

  it('steps days across month and leap-year ends', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
  });
});
