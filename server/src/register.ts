/**
 * Register: ships Mosaic's components (Strapi only loads components from an app's own folder),
 * refuses a segment whose rule does not validate, whoever saves it (Content Manager, document
 * service, or the plugin's own routes), before anything is written, describes the delivery API to
 * the GraphQL and documentation plugins when the app has them, lets browsers on other origins
 * send the visitor headers (strapi::cors allows only the request headers it lists), and mounts the
 * guard that bounds the tracking routes' bodies ahead of Strapi's body parser.
 */
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import camelCase from 'lodash/camelCase';
import upperFirst from 'lodash/upperFirst';

import { components, UIDS } from './content-types';
import { trackingBodyGuard } from './controllers/tracking';
import { validateExperimentSlots } from './core/slots';
import { registerGraphQL } from './graphql';
import { registerOpenApi } from './openapi';
import { VISITOR_HEADERS } from './core/context';
import { registerTraitColumns } from './traits';
import { getService } from './utils';

function registerComponents(strapi: Core.Strapi) {
  for (const [uid, schema] of Object.entries(components)) {
    if (strapi.get('components').get(uid)) continue;
    const [category, modelName] = uid.split('.');
    strapi.get('components').set(uid, {
      ...structuredClone(schema),
      uid,
      category,
      modelType: 'component',
      modelName,
      globalId: upperFirst(camelCase(`component_${uid}`)),
      __schema__: structuredClone(schema),
    });
  }
}

function validateSegmentsOnSave(strapi: Core.Strapi) {
  strapi.documents.use(async (ctx, next) => {
    if (ctx.uid !== UIDS.segment || (ctx.action !== 'create' && ctx.action !== 'update')) {
      return next();
    }
    const data = (ctx.params as { data?: Record<string, unknown> }).data;
    if (data && 'rule' in data) {
      const name = String(
        data.slug ?? data.name ?? (ctx.params as { documentId?: string }).documentId ?? 'new'
      );
      getService('rules', strapi).assertValid(data.rule, `segment '${name}'`);
    }
    return next();
  });
}

/** Refuses experiment slots with bad weights, a bad holdout or fewer than two candidates. */
function validateAssetsOnSave(strapi: Core.Strapi) {
  strapi.documents.use(async (ctx, next) => {
    if (ctx.uid !== UIDS.asset || (ctx.action !== 'create' && ctx.action !== 'update')) {
      return next();
    }
    const data = (ctx.params as { data?: Record<string, unknown> }).data;
    const issues = data ? validateExperimentSlots(data.slots) : [];
    if (issues.length) {
      const name = String(
        data?.slug ?? data?.title ?? (ctx.params as { documentId?: string }).documentId ?? 'new'
      );
      throw new errors.ValidationError(
        `asset '${name}': ${issues.map((i) => i.message).join('; ')}`,
        { errors: issues.map((issue) => ({ ...issue, name: 'ValidationError' })) }
      );
    }
    return next();
  });
}

// strapi::cors's own list, which an app that configures no `headers` gets (@strapi/core).
const STRAPI_CORS_HEADERS = ['Content-Type', 'Authorization', 'Origin', 'Accept'];
// A browser never lets a page set Cookie; it sends it by itself.
const CROSS_ORIGIN_HEADERS = VISITOR_HEADERS.filter((header) => header !== 'Cookie');

/**
 * The request headers strapi::cors should allow: the app's list (Strapi's when it gives none) with
 * Mosaic's visitor headers added; undefined when the list already allows them or is not a list.
 * Only headers are added: which origins may call, and with credentials, stays the app's choice.
 */
function withVisitorHeaders(listed: unknown): string[] | undefined {
  const headers =
    listed === undefined
      ? STRAPI_CORS_HEADERS
      : typeof listed === 'string'
        ? listed.split(',').map((header) => header.trim())
        : Array.isArray(listed) && listed.every((header) => typeof header === 'string')
          ? listed
          : null;
  if (!headers || headers.includes('*')) return undefined;
  const known = new Set(headers.map((header) => header.toLowerCase()));
  const missing = CROSS_ORIGIN_HEADERS.filter((header) => !known.has(header.toLowerCase()));
  return missing.length ? [...headers, ...missing] : undefined;
}

/** Runs in register, before Strapi builds its middlewares from the app's config in bootstrap. */
function allowVisitorHeadersAcrossOrigins(strapi: Core.Strapi) {
  const middlewares = strapi.config.get('middlewares');
  if (!Array.isArray(middlewares)) return;
  strapi.config.set(
    'middlewares',
    middlewares.map((entry: unknown) => {
      const named =
        typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>) : null;
      if (entry !== 'strapi::cors' && !(named?.name === 'strapi::cors' && !named.resolve)) {
        return entry;
      }
      const config = (named?.config ?? {}) as Record<string, unknown>;
      const headers = withVisitorHeaders(config.headers);
      return headers ? { ...(named ?? { name: entry }), config: { ...config, headers } } : entry;
    })
  );
}

export default ({ strapi }: { strapi: Core.Strapi }) => {
  allowVisitorHeadersAcrossOrigins(strapi);
  registerComponents(strapi);
  registerGraphQL(strapi);
  registerOpenApi(strapi);
  registerTraitColumns(strapi);
  validateSegmentsOnSave(strapi);
  validateAssetsOnSave(strapi);
  // Before Strapi's own middlewares (mounted after register), its body parser among them.
  strapi.server.use(trackingBodyGuard(strapi));
};
