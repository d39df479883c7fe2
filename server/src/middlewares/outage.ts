/**
 * The HTTP side of a database outage (services/faults.ts owns the rest): a server middleware that
 * answers 503 with `Retry-After` for any request that failed because the database is unreachable,
 * Mosaic's or not, instead of Strapi's 500; and a content API strategy, tried last, that lets
 * Mosaic's public delivery routes through with the public role's permissions as last read when
 * Users & Permissions could not read them, and answers 503 for any other request, whose
 * credentials cannot be checked.
 */
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Context as KoaContext, Next } from 'koa';

import { DatabaseUnavailableError, type Ability } from '../services/faults';
import { getService } from '../utils';

/** What 503 answers ask clients to wait, in seconds. */
export const RETRY_AFTER_S = 5;

function outageStrategy(strapi: Core.Strapi) {
  const faults = getService('faults', strapi);
  return {
    name: 'mosaic-outage',
    async authenticate(ctx: KoaContext) {
      // Reached only when no other strategy authenticated the request: their verdict stands
      // unless it came from the database being down.
      if (!(await faults.databaseDown())) return { authenticated: false };
      const route = ctx.state.route as { info?: { pluginName?: string } } | undefined;
      const ability = faults.publicAbility();
      if (!ctx.get('Authorization') && route?.info?.pluginName === 'mosaic' && ability) {
        return { authenticated: true, credentials: null, ability };
      }
      throw new DatabaseUnavailableError();
    },
    verify(auth: { ability: Ability | null }, config: { scope?: string | string[] }) {
      if (!config.scope || !auth.ability) throw new errors.UnauthorizedError();
      const scopes = Array.isArray(config.scope) ? config.scope : [config.scope];
      if (!scopes.every((scope) => auth.ability!.can(scope))) throw new errors.ForbiddenError();
    },
  };
}

function outageAnswer(strapi: Core.Strapi) {
  const faults = getService('faults', strapi);
  return async (ctx: KoaContext, next: Next) => {
    try {
      await next();
    } catch (error) {
      if (!faults.failed(error)) throw error;
      ctx.status = 503;
      ctx.set('Retry-After', String(RETRY_AFTER_S));
      ctx.set('Cache-Control', 'no-store');
      ctx.body = {
        data: null,
        error: {
          status: 503,
          name: 'ServiceUnavailableError',
          message: `The database is unreachable: try again in ${RETRY_AFTER_S} s`,
          details: {},
        },
      };
    }
  };
}

/** Installs the 503 answer and, with Users & Permissions, the outage strategy. */
export function handleOutages(strapi: Core.Strapi) {
  strapi.server.use(outageAnswer(strapi));
  if (strapi.plugin('users-permissions')) {
    strapi.get('auth').register('content-api', outageStrategy(strapi));
  }
}
