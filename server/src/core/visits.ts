/**
 * When a request starts a new visit, written once: the resolve counts the visit as it answers
 * (services/profiles.ts, `forResolve`) and the upsert that records it afterwards does the same
 * in SQL. Both derive from `NEW_VISIT_WHEN`, so the count a reader is served and the count
 * stored cannot drift apart.
 */

/** A new visit starts after this long without a request. */
export const SESSION_GAP_MS = 30 * 60 * 1000;

export interface VisitState {
  /** Milliseconds; null when never seen. */
  lastSeen: number | null;
  visits: number;
}

/**
 * A request starts a new visit when any of these holds of the stored profile: its last request
 * is older than the session gap, or it has had no visit yet (its events or traits created it).
 * A comparison with null (never seen) holds in neither language.
 */
export const NEW_VISIT_WHEN: ReadonlyArray<{
  field: keyof VisitState;
  op: '<' | '=';
  value: (now: number) => number;
  /** Whether the column holds an instant (bound as a Date in SQL). */
  instant: boolean;
}> = [
  { field: 'lastSeen', op: '<', value: (now) => now - SESSION_GAP_MS, instant: true },
  { field: 'visits', op: '=', value: () => 0, instant: false },
];

/** The visits a profile has once a request at `now` is counted; a new profile has had one. */
export function visitsAt(profile: VisitState | null, now: number): number {
  if (!profile) return 1;
  const newVisit = NEW_VISIT_WHEN.some(({ field, op, value }) => {
    const stored = profile[field];
    if (stored === null) return false;
    return op === '<' ? stored < value(now) : stored === value(now);
  });
  return newVisit ? profile.visits + 1 : profile.visits;
}
