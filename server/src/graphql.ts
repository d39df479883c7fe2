/**
 * GraphQL, when @strapi/plugin-graphql is installed: a `mosaicAsset` query that answers what
 * `GET /api/mosaic/assets/:slug` answers, through the same delivery service and under the same
 * permission (`plugin::mosaic.delivery.asset`, for roles and API tokens alike). Mosaic's content
 * types stay out of the generated CRUD schema: segments, drafts and visitor profiles are not for
 * the content API, which reads Mosaic only through the delivery API.
 */
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Context as KoaContext } from 'koa';

import { components, UIDS } from './content-types';
import { deliveryRequest } from './controllers/delivery';
import { getService } from './utils';

const typeDefs = /* GraphQL */ `
  type MosaicAssetSlot {
    key: String!
    "Delivered chunks as the REST API serves them: content, plus fields the app added."
    chunks: [JSON!]!
  }

  type MosaicAsset {
    slug: String!
    locale: String
    format: String!
    slots: [MosaicAssetSlot!]!
    "Fields the app added to the asset content type (REST serves them next to slug)."
    fields: JSON
  }

  "What an experiment slot served this visitor (see the REST meta.experiments)."
  type MosaicExperiment {
    key: String!
    asset: String!
    slot: String!
    variant: String!
    holdout: Boolean!
    bucketed: Boolean!
    counted: Boolean!
  }

  type MosaicAssetMeta {
    persona: String
    segments: [String!]!
    variantKey: String!
    warnings: [String!]
    experiments: [MosaicExperiment!]
    contentType: String
    explain: JSON
  }

  type MosaicAssetResponse {
    data: MosaicAsset!
    meta: MosaicAssetMeta!
  }

  extend type Query {
    """
    Resolves a published asset for this request, as GET /api/mosaic/assets/:slug does.
    context: the other delivery parameters, e.g. { "utm_source": "twitter", "tz": "Europe/Berlin" }.
    """
    mosaicAsset(
      slug: String!
      format: String
      locale: String
      persona: String
      explain: Boolean
      context: JSON
    ): MosaicAssetResponse
  }
`;

interface MosaicAssetArgs {
  slug: string;
  format?: string | null;
  locale?: string | null;
  persona?: string | null;
  explain?: boolean | null;
  context?: unknown;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The query's arguments in the shape of a REST query, for the one validation both share. */
function queryOf(args: MosaicAssetArgs): Record<string, unknown> {
  const { format, locale, persona, explain } = args;
  if (args.context !== undefined && args.context !== null && !isObject(args.context)) {
    throw new errors.ValidationError(
      '\'context\' must be an object of delivery parameters, e.g. { "utm_source": "twitter" }',
      { errors: [{ path: ['context'], message: 'must be an object' }] }
    );
  }
  return Object.fromEntries(
    Object.entries({
      ...(isObject(args.context) ? args.context : {}),
      format,
      locale,
      persona,
      explain: explain === null || explain === undefined ? undefined : String(explain),
    }).filter(([, value]) => value !== null && value !== undefined)
  );
}

export function registerGraphQL(strapi: Core.Strapi) {
  const graphql = strapi.plugin('graphql');
  if (!graphql) return;
  const extension = graphql.service('extension');
  for (const uid of [...Object.values(UIDS), ...Object.keys(components)]) {
    extension.shadowCRUD(uid).disable();
  }
  extension.use(() => ({
    typeDefs,
    resolvers: {
      Query: {
        async mosaicAsset(
          _parent: unknown,
          args: MosaicAssetArgs,
          context: { koaContext: KoaContext }
        ) {
          const request = deliveryRequest(context.koaContext, args.slug, queryOf(args));
          const { data, meta } = await getService('delivery', strapi).asset(request);
          const { slug, locale, format, slots, ...fields } = data;
          return { data: { slug, locale, format, slots, fields }, meta };
        },
      },
    },
    resolversConfig: {
      'Query.mosaicAsset': { auth: { scope: ['plugin::mosaic.delivery.asset'] } },
    },
  }));
}
