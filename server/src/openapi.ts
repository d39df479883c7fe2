/**
 * The delivery API described for @strapi/plugin-documentation (OpenAPI 3), when it is installed:
 * registered as an override from `register`, in place of what the plugin would generate from the
 * routes, so that parameters, headers and answers are those of contracts/. The documentation
 * plugin applies it when the app lists `mosaic` among the plugins it documents.
 */
import type { Core } from '@strapi/strapi';
import { z } from 'zod';

import { errorResponse } from '../../contracts/common';
import {
  deliveredChunkSchema,
  deliveryQuerySchema,
  getChunkResponse,
  resolveAssetResponse,
  type DeliveryQuery,
} from '../../contracts/delivery';
import {
  behaviourEventSchema,
  eraseProfileResponse,
  exportProfileResponse,
  identifyBody,
  identifyResponse,
  recordImpressionsBody,
  recordImpressionsResponse,
  trackEventsResponse,
} from '../../contracts/tracking';
import {
  CONSENT_COOKIE,
  CONSENT_HEADER,
  CONSENT_VALUES,
  VISITOR_COOKIE,
  VISITOR_HEADER,
  VISITOR_ID_PATTERN,
} from '../../contracts/wire';

/** A contract's schema in OpenAPI 3.0's dialect of JSON Schema (checks zod runs in code left out). */
const schemaOf = (schema: z.ZodType) =>
  z.toJSONSchema(schema, { target: 'openapi-3.0', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: object, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
const query = (name: string, description: string, schema: object = { type: 'string' }) => ({
  name,
  in: 'query',
  required: false,
  description,
  schema,
});
const header = (name: string, description: string, schema: object = { type: 'string' }) => ({
  name,
  in: 'header',
  required: false,
  description,
  schema,
});
const slug = (what: string) => ({
  name: 'slug',
  in: 'path',
  required: true,
  description: `The ${what}'s slug`,
  schema: { type: 'string' },
});

const error = (description: string) => json(ref('MosaicError'), description);

/** What each delivery parameter does; their types and limits come from the contract. */
const DELIVERY_PARAMETERS_SAY: Record<Exclude<keyof DeliveryQuery, 'explain'>, string> = {
  format:
    '`json` (the blocks, for @strapi/blocks-react-renderer), `html`, `markdown`, `text`, or a format the app registered',
  locale: 'A configured locale; falls back to the default locale',
  persona: "A persona's slug (when the server allows the parameter)",
  tz: 'IANA time zone for time rules (default UTC)',
  ref: 'Referrer URL; overrides the Referer header',
  utm_source: 'Campaign source',
  utm_medium: 'Campaign medium',
  utm_campaign: 'Campaign name',
  utm_term: 'Campaign term',
  utm_content: 'Campaign content',
};
const EXAMPLES: Partial<Record<keyof DeliveryQuery, object>> = {
  format: { default: 'json', example: 'html' },
  tz: { example: 'Europe/Berlin' },
};

const deliveryParameter = (name: keyof DeliveryQuery, description: string) =>
  query(name, description, {
    ...schemaOf(deliveryQuerySchema.shape[name].unwrap()),
    ...EXAMPLES[name],
  });

const DELIVERY_PARAMETERS = Object.entries(DELIVERY_PARAMETERS_SAY).map(([name, description]) =>
  deliveryParameter(name as keyof DeliveryQuery, description)
);

const visitorIdSchema = { type: 'string', pattern: VISITOR_ID_PATTERN.source };

const VISITOR_HEADERS = [
  header(
    VISITOR_HEADER,
    `The visitor id the frontend keeps (else the \`${VISITOR_COOKIE}\` cookie)`,
    visitorIdSchema
  ),
  header(CONSENT_HEADER, `Profile consent (else the \`${CONSENT_COOKIE}\` cookie)`, {
    type: 'string',
    enum: [...CONSENT_VALUES],
  }),
];

const CACHING = {
  ETag: {
    description: 'A fingerprint of the exact bytes of the answer, quoted',
    schema: { type: 'string' },
  },
  'Cache-Control': {
    description: '`public, max-age=…`, or `private, no-cache` for a visitor’s own answer',
    schema: { type: 'string' },
  },
  Vary: {
    description: 'Every request header whose value (or absence) could change the answer',
    schema: { type: 'string' },
  },
};

const schemas = {
  MosaicError: schemaOf(errorResponse),
  MosaicDeliveredChunk: {
    ...schemaOf(deliveredChunkSchema),
    description: 'A chosen chunk; fields the app added to chunks come through as well.',
  },
  MosaicAssetResponse: schemaOf(resolveAssetResponse),
  MosaicChunkResponse: schemaOf(getChunkResponse),
  MosaicEvent: schemaOf(behaviourEventSchema),
};

const TAGS = ['Mosaic'];

const paths = {
  '/mosaic/assets/{slug}': {
    get: {
      tags: TAGS,
      summary: 'Resolve an asset for this reader',
      operationId: 'mosaicResolveAsset',
      parameters: [
        slug('asset'),
        ...DELIVERY_PARAMETERS,
        query(
          'explain',
          'Add `meta.explain`: the context and why each candidate was chosen. The context shows ' +
            'what the request carried; a stored profile (traits, events, visits, affinity) only ' +
            'to an API token',
          schemaOf(deliveryQuerySchema.shape.explain.unwrap())
        ),
        ...VISITOR_HEADERS,
      ],
      responses: {
        200: { ...json(ref('MosaicAssetResponse'), 'The assembly'), headers: CACHING },
        304: { description: 'Not modified (If-None-Match matched the ETag)' },
        400: error('Bad input: unknown format, locale or time zone, a repeated parameter'),
        403: error('The role or token lacks Mosaic → delivery → asset'),
        404: error('No published asset with this slug'),
        500: error("An app format's renderer failed (FormatRenderError)"),
      },
    },
  },
  '/mosaic/chunks/{slug}': {
    get: {
      tags: TAGS,
      summary: 'Render one chunk',
      operationId: 'mosaicGetChunk',
      parameters: [slug('chunk'), ...DELIVERY_PARAMETERS, ...VISITOR_HEADERS],
      responses: {
        200: { ...json(ref('MosaicChunkResponse'), 'The chunk'), headers: CACHING },
        304: { description: 'Not modified' },
        400: error('Bad input'),
        403: error('The role or token lacks Mosaic → delivery → chunk'),
        404: error('No published chunk with this slug'),
      },
    },
  },
  '/mosaic/manifest': {
    get: {
      tags: TAGS,
      summary: 'The manifest a standalone resolver resolves from (strapi-mosaic-resolver)',
      description:
        'Every published asset in every locale, with the chunks, segment rules, personas and settings resolution reads; no drafts, no profile data. Granted to no role by default: an API token with Mosaic → manifest → read.',
      operationId: 'mosaicGetManifest',
      parameters: [
        header('If-None-Match', 'The ETag of the manifest held: 304 until something is published'),
      ],
      responses: {
        200: json(
          {
            type: 'object',
            properties: {
              data: { type: 'object', description: 'The manifest (schema 1)' },
              meta: { type: 'object', properties: { version: { type: 'string' } } },
            },
          },
          'The manifest; its ETag is its version'
        ),
        304: { description: 'Not modified: nothing was published since' },
        403: error('The token lacks Mosaic → manifest → read'),
      },
    },
  },
  '/mosaic/profile/summary': {
    get: {
      tags: TAGS,
      summary: "A consenting visitor's signed profile summary, for a resolver at the edge",
      description:
        'Persona, strongest affinities and profile segments (no trait value, no event), signed with HMAC-SHA-256 under profileSummary.secret, expiring (15 minutes by default). Refused without consent, and for a visitor without a profile (never seen, or erased).',
      operationId: 'mosaicGetProfileSummary',
      parameters: [...VISITOR_HEADERS],
      responses: {
        200: json(
          {
            type: 'object',
            properties: {
              data: {
                type: 'object',
                properties: {
                  token: { type: 'string' },
                  summary: { type: 'object' },
                  expiresAt: { type: 'string', format: 'date-time' },
                },
              },
            },
          },
          'The token (to verify at the edge) and its payload'
        ),
        400: error('No visitor id, or a malformed one'),
        403: error('No consent, or a crawler'),
        404: error('No profile for this visitor (never seen, or erased)'),
      },
    },
  },
  '/mosaic/events': {
    post: {
      tags: TAGS,
      summary: "Track a batch of the visitor's behaviour events",
      operationId: 'mosaicTrackEvents',
      parameters: VISITOR_HEADERS,
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: {
              type: 'object',
              properties: {
                events: { type: 'array', items: ref('MosaicEvent'), minItems: 1, maxItems: 100 },
              },
              required: ['events'],
            },
          },
        },
      },
      responses: {
        202: json(
          schemaOf(trackEventsResponse),
          'Accepted; `profile` says whether the events went into a profile; `attributed` (with ' +
            'conversions): experiment variants credited'
        ),
        400: error('Invalid batch: nothing of it was written'),
        413: error('Body larger than eventLog.maxBodyBytes, however it was sent'),
        429: error('Too many batches from this visitor or this address'),
      },
    },
  },
  '/mosaic/identify': {
    post: {
      tags: TAGS,
      summary: "Set trusted traits on a visitor's profile (API token only)",
      operationId: 'mosaicIdentify',
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: schemaOf(identifyBody),
          },
        },
      },
      responses: {
        200: json(schemaOf(identifyResponse), 'The traits now on the profile'),
        400: error('Bad input'),
        403: error('Not an API token'),
      },
    },
  },
  '/mosaic/impressions': {
    post: {
      tags: TAGS,
      summary: 'Count the experiment impressions a standalone resolver served (API token only)',
      description:
        "The answer's `meta` (persona, segments, experiments) for the visitor in the X-Mosaic-Visitor header: each experiment must be one the published asset runs, with one of its candidates and the visitor's own holdout. Counted once per visitor, asset, slot and day, with consent, as delivery counts.",
      operationId: 'mosaicRecordImpressions',
      parameters: [
        {
          ...header(VISITOR_HEADER, 'The visitor the answer was for', visitorIdSchema),
          required: true,
        },
        header(CONSENT_HEADER, 'Profile consent', { type: 'string', enum: [...CONSENT_VALUES] }),
      ],
      requestBody: {
        required: true,
        content: { 'application/json': { schema: schemaOf(recordImpressionsBody) } },
      },
      responses: {
        202: json(schemaOf(recordImpressionsResponse), 'Checked, and counted with consent'),
        400: error(
          'Bad input, or an experiment, variant, holdout, persona or segment the asset does not have'
        ),
        403: error('Not an API token'),
      },
    },
  },
  '/mosaic/profile': {
    parameters: [
      {
        ...header(
          VISITOR_HEADER,
          'The visitor id: in a header, so that it stays out of URLs and request logs',
          visitorIdSchema
        ),
        required: true,
      },
    ],
    get: {
      tags: TAGS,
      summary: "Export a visitor's profile (API token only)",
      operationId: 'mosaicExportProfile',
      responses: {
        200: json(schemaOf(exportProfileResponse), 'The profile'),
        400: error(`No or malformed ${VISITOR_HEADER} header`),
        403: error('Not an API token'),
        404: error('No profile'),
      },
    },
    delete: {
      tags: TAGS,
      summary: 'Erase everything kept about a visitor (API token only)',
      operationId: 'mosaicEraseProfile',
      responses: {
        200: json(schemaOf(eraseProfileResponse), 'Erased'),
        400: error(`No or malformed ${VISITOR_HEADER} header`),
        403: error('Not an API token'),
        404: error('Nothing kept about this visitor'),
      },
    },
  },
  '/mosaic/profiles/{visitorId}': {
    parameters: [{ name: 'visitorId', in: 'path', required: true, schema: visitorIdSchema }],
    get: {
      tags: TAGS,
      summary: "Export a visitor's profile (API token only; prefer GET /mosaic/profile)",
      description: 'The id in the path reaches request logs: kept for existing callers.',
      deprecated: true,
      operationId: 'mosaicExportProfileById',
      responses: {
        200: json(schemaOf(exportProfileResponse), 'The profile'),
        404: error('No profile'),
      },
    },
    delete: {
      tags: TAGS,
      summary:
        'Erase everything kept about a visitor (API token only; prefer DELETE /mosaic/profile)',
      description: 'The id in the path reaches request logs: kept for existing callers.',
      deprecated: true,
      operationId: 'mosaicEraseProfileById',
      responses: { 200: json(schemaOf(eraseProfileResponse), 'Erased'), 404: error('No profile') },
    },
  },
};

export const OPENAPI = {
  tags: [{ name: 'Mosaic', description: 'Personalized content delivery' }],
  paths,
  components: { schemas },
};

export function registerOpenApi(strapi: Core.Strapi) {
  const documentation = strapi.plugin('documentation');
  if (!documentation) return;
  documentation
    .service('override')
    .registerOverride(OPENAPI, { pluginOrigin: 'mosaic', excludeFromGeneration: ['mosaic'] });
}
