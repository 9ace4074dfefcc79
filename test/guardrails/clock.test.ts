import { parseClock } from '../../lib/guardrails/clock';

describe('parseClock (KeylessGuardrailsProps.now and KEYLESS_NOW)', () => {
  test('a date is midnight UTC; a date-time is taken as written', () => {
    expect(parseClock('2026-06-30')?.toISOString()).toBe('2026-06-30T00:00:00.000Z');
    expect(parseClock('2026-06-30T12:30:00Z')?.toISOString()).toBe('2026-06-30T12:30:00.000Z');
    expect(parseClock('2026-06-30T12:30:00+02:00')?.toISOString()).toBe('2026-06-30T10:30:00.000Z');
  });

  test.each([['yesterday'], [''], ['30.06.2026'], ['2026-13-01'], ['2026-06-30T25:00:00Z'], [20260630], [undefined]])(
    '%p is no clock', (value) => {
      expect(parseClock(value)).toBeUndefined();
    });
});
