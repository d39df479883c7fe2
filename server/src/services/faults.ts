/**
 * Database outages: what Mosaic does while the database cannot be reached, in one place.
 *
 * - The HTTP layer (middlewares/outage.ts) answers 503 with `Retry-After` for any request that
 *   failed because the database is unreachable, Mosaic's or not, instead of Strapi's 500.
 * - The compiled cache serves what it held before (services/cache.ts), and the answer is flagged
 *   (`markStale`, read by the delivery controller: `meta.stale`, `X-Mosaic-Stale: 1`).
 * - Users & Permissions reads the public role's permissions on every request and, when that
 *   read fails, lets the request through as unauthenticated (a 401). The content API strategy
 *   (middlewares/outage.ts), tried last, tells that case apart: the database is down, so Mosaic's delivery routes
 *   are authorised with the public role's permissions as last read (`PUBLIC_REFRESH_MS`), and
 *   any other request is answered 503, since its credentials cannot be checked.
 *
 * After a connection failure, loads that have a stale value to fall back on skip the database
 * for `BREAKER_MS`, so an outage that times out costs one request a wait, not every request.
 */
import type { Core } from '@strapi/strapi';
import type { Context as KoaContext } from 'koa';

import { isDatabaseUnavailable } from '../core/faults';

const BREAKER_MS = 1000;
/** How often the public role's permissions are read again, for use during an outage. */
const PUBLIC_REFRESH_MS = 30 * 1000;
const PERMISSION_MODELS = new Set([
  'plugin::users-permissions.permission',
  'plugin::users-permissions.role',
]);

/** Thrown when a request needs the database (to check its credentials) and it is down. */
export class DatabaseUnavailableError extends Error {
  constructor() {
    super('The database is unreachable');
    this.name = 'DatabaseUnavailableError';
  }
}

export type Ability = { can: (action: string) => boolean };

export default ({ strapi }: { strapi: Core.Strapi }) => {
  let failedAt = 0;
  let loggedAt = 0;
  let publicAbility: Ability | null = null;
  let refresher: NodeJS.Timeout | null = null;

  const unavailable = (error: unknown) =>
    error instanceof DatabaseUnavailableError || isDatabaseUnavailable(error);

  /** Notes a failure; true when it is the database being unreachable. Logged once an outage. */
  function failed(error: unknown): boolean {
    if (!unavailable(error)) return false;
    const now = Date.now();
    if (now - failedAt > 60 * 1000 && now - loggedAt > 60 * 1000) {
      loggedAt = now;
      strapi.log.error(
        `[mosaic] the database is unreachable (${(error as Error).message}): serving cached content, 503 for the rest`
      );
    }
    failedAt = now;
    return true;
  }

  const down = () => Date.now() - failedAt < BREAKER_MS;

  async function readPublicAbility() {
    const service = strapi.plugin('users-permissions')?.service('permission');
    if (!service) return;
    const permissions = (await service.findPublicPermissions()).map(service.toContentAPIPermission);
    // Users & Permissions checks a scope with the action alone, as `verify` below does.
    publicAbility = (await strapi.contentAPI.permissions.engine.generateAbility(
      permissions
    )) as unknown as Ability;
  }

  /** Whether the database is down now: known from a recent failure, else asked. */
  async function databaseDown(): Promise<boolean> {
    if (down()) return true;
    try {
      await readPublicAbility();
      return false;
    } catch (error) {
      if (failed(error)) return true;
      throw error;
    }
  }

  return {
    unavailable,
    failed,
    databaseDown,
    /** The public role's permissions as last read (null: never read). */
    publicAbility: () => publicAbility,
    /** Whether a load with a stale value to fall back on should skip the database for now. */
    down,

    /** Flags the current request's answer as served from memory during an outage. */
    markStale() {
      const ctx = strapi.requestContext.get() as KoaContext | undefined;
      if (ctx) ctx.state.mosaicStale = true;
    },

    stale: (ctx: KoaContext) => ctx.state.mosaicStale === true,

    /** Starts reading the public role's permissions, for use during an outage. */
    async bootstrap() {
      if (!strapi.plugin('users-permissions')) return;
      const refresh = () => readPublicAbility().catch((error) => void failed(error));
      await refresh();
      // A change to the public role is read as soon as it is committed, not at the next refresh.
      strapi.db.lifecycles.subscribe((event) => {
        if (
          !PERMISSION_MODELS.has(event.model.uid) ||
          !/^after(Create|Update|Delete)/.test(event.action)
        )
          return;
        void strapi.db.transaction(({ onCommit }) => onCommit(() => void refresh()));
      });
      refresher = setInterval(refresh, PUBLIC_REFRESH_MS);
      refresher.unref();
    },

    destroy() {
      if (refresher) clearInterval(refresher);
      refresher = null;
    },
  };
};
