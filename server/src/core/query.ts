/**
 * The delivery routes' query parameters, checked by hand: they are read on every resolve, and a
 * schema library's generic parse cost more than the rest of the request's own work. The rules are
 * few and flat — each parameter at most once, as a string of bounded length, `explain` a boolean
 * and `tz` a known zone — and `tests/unit/query.test.ts` holds them against a zod schema of the
 * same rules.
 */
import { isValidTimeZone, type RequestFacts } from './context';

/** Each known parameter and its longest accepted value (unknown parameters are ignored). */
export const QUERY_LIMITS = {
  // Apps may register formats: the delivery service knows them all and refuses the others.
  format: 32,
  locale: 32,
  persona: 100,
  explain: Infinity,
  tz: 64,
  ref: 2048,
  utm_source: 200,
  utm_medium: 200,
  utm_campaign: 200,
  utm_term: 200,
  utm_content: 200,
} as const;

export type QueryParam = keyof typeof QUERY_LIMITS;

export type DeliveryQuery = RequestFacts['query'] & {
  format?: string;
  explain?: 'true' | 'false';
};

export interface QueryIssue {
  path: [QueryParam];
  message: string;
}

const PARAMS = Object.entries(QUERY_LIMITS) as Array<[QueryParam, number]>;

function issueOf(param: QueryParam, value: unknown, max: number): string | null {
  // A repeated parameter arrives as an array, `a[b]=c` as an object: say so, not "not a string".
  if (typeof value !== 'string') return `'${param}' must be given once, as a single value`;
  if (value.length > max) return `'${param}' must be at most ${max} characters`;
  if (param === 'explain' && value !== 'true' && value !== 'false') {
    return "'explain' must be 'true' or 'false'";
  }
  if (param === 'tz' && !isValidTimeZone(value)) {
    return `Unknown time zone '${value}': use an IANA zone such as Europe/Berlin`;
  }
  return null;
}

/** The known parameters of a parsed query string (or GraphQL arguments), or what is wrong. */
export function parseDeliveryQuery(
  input: unknown
): { ok: true; query: DeliveryQuery } | { ok: false; issues: QueryIssue[] } {
  const source = (typeof input === 'object' && input !== null ? input : {}) as Record<
    string,
    unknown
  >;
  const query: Record<string, string> = {};
  const issues: QueryIssue[] = [];
  for (const [param, max] of PARAMS) {
    if (!Object.prototype.hasOwnProperty.call(source, param)) continue;
    const value = source[param];
    if (value === undefined) continue;
    const message = issueOf(param, value, max);
    if (message) issues.push({ path: [param], message });
    else query[param] = value as string;
  }
  return issues.length ? { ok: false, issues } : { ok: true, query: query as DeliveryQuery };
}
