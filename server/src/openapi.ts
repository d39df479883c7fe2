/**
 * The delivery API described for @strapi/plugin-documentation (OpenAPI 3), when it is installed:
 * registered as an override from `register`, in place of what the plugin would generate from the
 * routes, so that parameters, headers and answers are those of contracts/. The documentation
 * plugin applies it when the app lists `mosaic` among the plugins it documents.
 */
import type { Core } from '@strapi/strapi';

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

const DELIVERY_PARAMETERS = [
  query(
    'format',
    '`json` (the blocks, for @strapi/blocks-react-renderer), `html`, `markdown`, `text`, or a format the app registered',
    { type: 'string', default: 'json', example: 'html' }
  ),
  query('locale', 'A configured locale; falls back to the default locale', { type: 'string' }),
  query('persona', "A persona's slug (when the server allows the parameter)"),
  query('tz', 'IANA time zone for time rules (default UTC)', {
    type: 'string',
    example: 'Europe/Berlin',
  }),
  query('ref', 'Referrer URL; overrides the Referer header'),
  ...['source', 'medium', 'campaign', 'term', 'content'].map((part) =>
    query(`utm_${part}`, `Campaign ${part}`)
  ),
];

const VISITOR_HEADERS = [
  header('X-Mosaic-Visitor', 'The visitor id the frontend keeps (else the `mosaic_vid` cookie)', {
    type: 'string',
    pattern: '^[A-Za-z0-9_-]{8,128}$',
  }),
  header('X-Mosaic-Consent', 'Profile consent (else the `mosaic_consent` cookie)', {
    type: 'string',
    enum: ['granted', 'denied'],
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

const scalar = { oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }] };

const schemas = {
  MosaicError: {
    type: 'object',
    properties: {
      data: { nullable: true, type: 'object' },
      error: {
        type: 'object',
        properties: {
          status: { type: 'integer' },
          name: { type: 'string' },
          message: { type: 'string' },
          details: { type: 'object' },
        },
        required: ['status', 'name', 'message'],
      },
    },
  },
  MosaicDeliveredChunk: {
    type: 'object',
    description: 'A chosen chunk; fields the app added to chunks come through as well.',
    properties: {
      documentId: { type: 'string' },
      slug: { type: 'string' },
      title: { type: 'string' },
      locale: { type: 'string', nullable: true },
      content: {
        description: 'Blocks JSON for `format=json`, a string for the other formats',
        oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'object' } }],
      },
    },
    required: ['documentId', 'slug', 'title', 'locale', 'content'],
    additionalProperties: true,
  },
  MosaicAssetResponse: {
    type: 'object',
    properties: {
      data: {
        type: 'object',
        properties: {
          slug: { type: 'string' },
          locale: { type: 'string', nullable: true },
          format: { type: 'string' },
          slots: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                key: { type: 'string' },
                chunks: { type: 'array', items: ref('MosaicDeliveredChunk') },
              },
            },
          },
        },
      },
      meta: {
        type: 'object',
        properties: {
          persona: { type: 'string', nullable: true },
          segments: { type: 'array', items: { type: 'string' } },
          variantKey: { type: 'string' },
          warnings: { type: 'array', items: { type: 'string' } },
          contentType: { type: 'string', description: "An app format's media type" },
          experiments: {
            type: 'array',
            description: 'The experiment slots served: key, variant, holdout, bucketed, counted',
            items: {
              type: 'object',
              properties: {
                key: { type: 'string' },
                asset: { type: 'string' },
                slot: { type: 'string' },
                variant: { type: 'string' },
                holdout: { type: 'boolean' },
                bucketed: { type: 'boolean' },
                counted: { type: 'boolean' },
              },
            },
          },
          explain: { type: 'object', description: 'With `explain=true`: why each choice' },
        },
        required: ['persona', 'segments', 'variantKey'],
      },
    },
  },
  MosaicChunkResponse: {
    type: 'object',
    properties: {
      data: {
        allOf: [
          ref('MosaicDeliveredChunk'),
          { type: 'object', properties: { format: { type: 'string' } } },
        ],
      },
      meta: {
        type: 'object',
        properties: {
          persona: { type: 'string', nullable: true },
          variantKey: { type: 'string' },
          warnings: { type: 'array', items: { type: 'string' } },
        },
      },
    },
  },
  MosaicEvent: {
    type: 'object',
    properties: {
      name: { type: 'string', example: 'view' },
      asset: { type: 'string' },
      slot: { type: 'string' },
      chunk: { type: 'string', description: "A chunk's documentId or slug" },
      variantKey: { type: 'string' },
      goal: { type: 'string', description: "A conversion's goal, e.g. signup" },
      value: { type: 'number' },
      props: { type: 'object', additionalProperties: scalar, maxProperties: 20 },
      ts: { oneOf: [{ type: 'number' }, { type: 'string', format: 'date-time' }] },
    },
    required: ['name'],
    additionalProperties: false,
  },
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
          {
            type: 'string',
            enum: ['true', 'false'],
          }
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
          {
            type: 'object',
            properties: {
              data: {
                type: 'object',
                properties: {
                  accepted: { type: 'integer' },
                  profile: { type: 'boolean' },
                  attributed: {
                    type: 'integer',
                    description: 'With conversions: experiment variants credited',
                  },
                },
              },
            },
          },
          'Accepted; `profile` says whether the events went into a profile'
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
            schema: {
              type: 'object',
              properties: {
                visitorId: { type: 'string' },
                traits: { type: 'object', additionalProperties: { ...scalar, nullable: true } },
              },
              required: ['visitorId', 'traits'],
            },
          },
        },
      },
      responses: {
        200: json({ type: 'object' }, 'The traits now on the profile'),
        400: error('Bad input'),
        403: error('Not an API token'),
      },
    },
  },
  '/mosaic/profile': {
    parameters: [
      {
        ...header(
          'X-Mosaic-Visitor',
          'The visitor id: in a header, so that it stays out of URLs and request logs',
          { type: 'string', pattern: '^[A-Za-z0-9_-]{8,128}$' }
        ),
        required: true,
      },
    ],
    get: {
      tags: TAGS,
      summary: "Export a visitor's profile (API token only)",
      operationId: 'mosaicExportProfile',
      responses: {
        200: json({ type: 'object' }, 'The profile'),
        400: error('No or malformed X-Mosaic-Visitor header'),
        403: error('Not an API token'),
        404: error('No profile'),
      },
    },
    delete: {
      tags: TAGS,
      summary: 'Erase everything kept about a visitor (API token only)',
      operationId: 'mosaicEraseProfile',
      responses: {
        200: json({ type: 'object' }, 'Erased'),
        400: error('No or malformed X-Mosaic-Visitor header'),
        403: error('Not an API token'),
        404: error('Nothing kept about this visitor'),
      },
    },
  },
  '/mosaic/profiles/{visitorId}': {
    parameters: [{ name: 'visitorId', in: 'path', required: true, schema: { type: 'string' } }],
    get: {
      tags: TAGS,
      summary: "Export a visitor's profile (API token only; prefer GET /mosaic/profile)",
      description: 'The id in the path reaches request logs: kept for existing callers.',
      deprecated: true,
      operationId: 'mosaicExportProfileById',
      responses: { 200: json({ type: 'object' }, 'The profile'), 404: error('No profile') },
    },
    delete: {
      tags: TAGS,
      summary:
        'Erase everything kept about a visitor (API token only; prefer DELETE /mosaic/profile)',
      description: 'The id in the path reaches request logs: kept for existing callers.',
      deprecated: true,
      operationId: 'mosaicEraseProfileById',
      responses: { 200: json({ type: 'object' }, 'Erased'), 404: error('No profile') },
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
