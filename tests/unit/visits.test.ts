import { SESSION_GAP_MS, visitsAt } from '../../server/src/core/visits';

const NOW = Date.parse('2026-06-01T12:00:00Z');

describe('visit counting', () => {
  it('counts a first visit for a visitor never seen', () => {
    expect(visitsAt(null, NOW)).toBe(1);
  });

  it('counts a new visit after the session gap, not within it', () => {
    const seen = (ago: number) => ({ lastSeen: NOW - ago, visits: 3 });
    expect(visitsAt(seen(SESSION_GAP_MS - 1), NOW)).toBe(3);
    expect(visitsAt(seen(SESSION_GAP_MS), NOW)).toBe(3);
    expect(visitsAt(seen(SESSION_GAP_MS + 1), NOW)).toBe(4);
  });

  it('counts the first visit of a profile that events or traits created, however recent', () => {
    expect(visitsAt({ lastSeen: NOW - 1000, visits: 0 }, NOW)).toBe(1);
    expect(visitsAt({ lastSeen: null, visits: 0 }, NOW)).toBe(1);
  });

  it('does not count a visit on a profile with visits but no last request', () => {
    expect(visitsAt({ lastSeen: null, visits: 2 }, NOW)).toBe(2);
  });
});
