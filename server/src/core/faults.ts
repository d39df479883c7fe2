/**
 * What counts as "the database is unreachable", as opposed to a query that is wrong: the errors
 * the drivers Strapi supports (pg, mysql2, better-sqlite3) and knex's pool raise when no
 * connection can be had or one dies mid-query. Delivery serves stale content and the HTTP layer
 * answers 503 for these, and only these: any other error is a bug and stays a 500.
 */

/** Socket-level failures, whichever driver reports them. */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  // mysql2
  'PROTOCOL_CONNECTION_LOST',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  // SQLite: the file cannot be opened or read
  'SQLITE_CANTOPEN',
  'SQLITE_IOERR',
]);

/**
 * PostgreSQL SQLSTATEs: class 08 (connection exception), 57P01-57P03 (the server shutting down
 * or starting), 53300 (too many connections).
 */
const PG_STATE = /^(08...|57P0[123]|53300)$/;

const MESSAGES = [
  // knex's pool: none free within the timeout, or the pool was destroyed
  /Timeout acquiring a connection/i,
  /Unable to acquire a connection/i,
  // pg
  /Connection terminated/i,
  /connection error and is not queryable/i,
  /Connection lost/i,
  // mysql2
  /connection is in closed state/i,
];

/** Whether `error` (or one of its causes) says the database cannot be reached right now. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 5; depth += 1) {
    const { code, name, message, cause } = e as {
      code?: unknown;
      name?: unknown;
      message?: unknown;
      cause?: unknown;
    };
    if (typeof code === 'string' && (SOCKET_CODES.has(code) || PG_STATE.test(code))) return true;
    if (name === 'KnexTimeoutError') return true;
    if (typeof message === 'string' && MESSAGES.some((pattern) => pattern.test(message))) {
      return true;
    }
    e = cause;
  }
  return false;
}
