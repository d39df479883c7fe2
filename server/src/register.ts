/**
 * Register: ships Mosaic's components (Strapi only loads components from an app's own folder),
 * refuses a segment whose rule does not validate, whoever saves it (Content Manager, document
 * service, or the plugin's own routes), before anything is written, and describes the delivery
 * API to the GraphQL and documentation plugins when the app has them, and mounts the guard that
 * bounds the tracking routes' bodies ahead of Strapi's body parser.
 */
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import camelCase from 'lodash/camelCase';
import upperFirst from 'lodash/upperFirst';

import { components, UIDS } from './content-types';
import { trackingBodyGuard } from './controllers/tracking';
import { DEFAULT_RULE_LIMITS, formatRuleIssues, validateRule } from './core/rules';
import { validateExperimentSlots } from './core/slots';
import { CONTEXT_FIELDS } from './core/types';
import { registerGraphQL } from './graphql';
import { registerOpenApi } from './openapi';
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
      const issues = validateRule(
        data.rule,
        DEFAULT_RULE_LIMITS,
        CONTEXT_FIELDS,
        getService('extensions', strapi).operators()
      );
      if (issues.length) {
        const name = String(
          data.slug ?? data.name ?? (ctx.params as { documentId?: string }).documentId ?? 'new'
        );
        throw new errors.ValidationError(`segment '${name}': ${formatRuleIssues(issues)}`, {
          errors: issues.map((issue) => ({
            path: ['rule', ...issue.path.split('.').filter(Boolean)],
            message: issue.message,
            name: 'ValidationError',
          })),
        });
      }
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

export default ({ strapi }: { strapi: Core.Strapi }) => {
  registerComponents(strapi);
  registerGraphQL(strapi);
  registerOpenApi(strapi);
  registerTraitColumns(strapi);
  validateSegmentsOnSave(strapi);
  validateAssetsOnSave(strapi);
  // Before Strapi's own middlewares (mounted after register), its body parser among them.
  strapi.server.use(trackingBodyGuard(strapi));
};
