/**
 * Which errors mean "the database is unreachable" (a 503, stale content) rather than a bug (a
 * 500): the drivers' and the pool's own errors, also when wrapped as a cause.
 */
import { isDatabaseUnavailable } from '../../server/src/core/faults';

const error = (message: string, fields: Record<string, unknown> = {}) =>
  Object.assign(new Error(message), fields);

describe('isDatabaseUnavailable', () => {
  it.each([
    [
      'a refused connection',
      error('connect ECONNREFUSED 127.0.0.1:5432', { code: 'ECONNREFUSED' }),
    ],
    ['a connection PostgreSQL dropped', error('Connection terminated unexpectedly')],
    ['PostgreSQL shutting down', error('terminating connection', { code: '57P01' })],
    ['a lost MariaDB connection', error('Connection lost', { code: 'PROTOCOL_CONNECTION_LOST' })],
    [
      "knex's pool timing out",
      error('Knex: Timeout acquiring a connection', { name: 'KnexTimeoutError' }),
    ],
    ['a destroyed pool', error('Unable to acquire a connection')],
    [
      'a wrapped cause',
      error('query failed', { cause: error('read ECONNRESET', { code: 'ECONNRESET' }) }),
    ],
  ])('recognises %s', (_, e) => expect(isDatabaseUnavailable(e)).toBe(true));

  it.each([
    ['a unique constraint', error('duplicate key value', { code: '23505' })],
    ['a syntax error', error('syntax error at or near', { code: '42601' })],
    ['a type error', new TypeError("Cannot read properties of undefined (reading 'slug')")],
    ['a string', 'ECONNREFUSED'],
    ['nothing', undefined],
  ])('leaves %s alone', (_, e) => expect(isDatabaseUnavailable(e)).toBe(false));
});
