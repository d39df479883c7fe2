/**
 * Tracking and profile routes: behaviour events from frontends, and the API-token-only routes
 * that set trusted traits, export and erase a profile. Every input is validated before anything
 * is written; a batch is stored whole or not at all.
 */
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Context as KoaContext } from 'koa';
import { z } from 'zod';

import type { MosaicConfig } from '../config';
import type { Conversion } from '../services/experiments';
import type { TrackedEvent } from '../services/profiles';
import { declaredTraits, fitsTraitType } from '../traits';
import { getService } from '../utils';
import { parseVisitorId, visitorOf } from './visitor';

/** Events may be sent late (offline queues) but not from the future beyond clock skew. */
const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

const scalar = z.union([z.string().max(256), z.number().finite(), z.boolean(), z.null()]);
const key = z
  .string()
  .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be 1 to 64 characters of A-Z, a-z, 0-9, _ . -');

const eventSchema = z
  .object({
    name: key,
    asset: z.string().min(1).max(200).optional(),
    slot: z.string().min(1).max(200).optional(),
    chunk: z.string().min(1).max(200).optional(),
    variantKey: z.string().min(1).max(64).optional(),
    /** A conversion's goal (signup, purchase…): counted on its own as well as in all conversions. */
    goal: key.optional(),
    value: z.number().finite().optional(),
    props: z
      .record(key, scalar)
      .refine((props) => Object.keys(props).length <= 20, 'may hold at most 20 properties')
      .optional(),
    ts: z.union([z.number().int().nonnegative(), z.iso.datetime({ offset: true })]).optional(),
  })
  .strict();

const traitsSchema = z
  .record(key, scalar)
  .refine((traits) => Object.keys(traits).length <= 50, 'may hold at most 50 traits');

const identifySchema = z.object({ visitorId: z.string(), traits: traitsSchema }).strict();

/** The batch's shape for a configured size, built once per size (building a schema is costly). */
const batchSchemas = new Map<number, z.ZodType<{ events: unknown[] }>>();

function batchSchema(maxBatch: number) {
  let schema = batchSchemas.get(maxBatch);
  if (!schema) {
    schema = z
      .object({
        events: z
          .array(z.unknown())
          .min(1, 'must hold at least one event')
          .max(maxBatch, `may hold at most ${maxBatch} events`),
      })
      .strict();
    batchSchemas.set(maxBatch, schema);
  }
  return schema;
}

function validationError(error: z.ZodError, prefix: string[] = []) {
  const issues = error.issues.map((issue) => ({
    path: [...prefix, ...issue.path.map(String)],
    message: issue.message,
  }));
  return new errors.ValidationError(
    issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '),
    { errors: issues }
  );
}

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const config = () => strapi.config.get('plugin::mosaic') as MosaicConfig;

  function boundedBody(ctx: KoaContext): unknown {
    const limit = config().eventLog.maxBodyBytes;
    if ((ctx.request.length ?? 0) > limit) {
      throw new errors.PayloadTooLargeError(`The body is larger than ${limit} bytes`);
    }
    return (ctx.request as unknown as { body?: unknown }).body;
  }

  async function parseEvents(
    body: unknown,
    now: number
  ): Promise<{ events: TrackedEvent[]; conversions: Conversion[] }> {
    const batch = batchSchema(config().eventLog.maxBatch).safeParse(body);
    if (!batch.success) throw validationError(batch.error);

    const events: TrackedEvent[] = [];
    const conversions: Conversion[] = [];
    for (const [index, raw] of batch.data.events.entries()) {
      const parsed = eventSchema.safeParse(raw);
      if (!parsed.success) throw validationError(parsed.error, ['events', String(index)]);
      const { ts, chunk, goal, ...rest } = parsed.data;
      const at = ts === undefined ? now : typeof ts === 'number' ? ts : Date.parse(ts);
      if (at > now + MAX_CLOCK_SKEW_MS) {
        throw new errors.ValidationError(`events.${index}.ts: is in the future`, {
          errors: [{ path: ['events', String(index), 'ts'], message: 'is in the future' }],
        });
      }
      const event: TrackedEvent = { ...rest, ts: at };
      if (chunk !== undefined) {
        const topics = await getService('content').chunkTopics(chunk);
        if (!topics) {
          throw new errors.ValidationError(`events.${index}.chunk: no chunk '${chunk}'`, {
            errors: [{ path: ['events', String(index), 'chunk'], message: `no chunk '${chunk}'` }],
          });
        }
        Object.assign(event, { chunk }, topics);
      }
      if (event.name === 'conversion') {
        const conversion: Conversion = { goal, value: event.value };
        if (event.asset !== undefined) {
          const asset = await getService('experiments').assetId(event.asset);
          if (!asset) {
            const message = `no asset '${event.asset}'`;
            throw new errors.ValidationError(`events.${index}.asset: ${message}`, {
              errors: [{ path: ['events', String(index), 'asset'], message }],
            });
          }
          conversion.asset = asset;
        }
        conversions.push(conversion);
      }
      events.push(event);
    }
    return { events, conversions };
  }

  return {
    async events(ctx: KoaContext) {
      const now = Date.now();
      const body = boundedBody(ctx);
      const visitor = visitorOf(ctx);
      await getService('rate-limit').consume(visitor.id ?? `ip:${ctx.ip}`, (seconds) =>
        ctx.set('Retry-After', String(seconds))
      );
      const { events, conversions } = await parseEvents(body, now);
      const profiles = getService('profiles');
      const remembered = visitor.id !== null && profiles.consented(visitor.consent);
      const data: { accepted: number; profile: boolean; attributed?: number } = {
        accepted: events.length,
        profile: remembered,
      };
      // Attribution reads the exposures kept under the visitor's HMAC: consent, as for profiles.
      // It comes first: it counts a conversion once however often it is sent, so a batch whose
      // events then fail to be written (a 503) can be sent again without counting anything twice.
      if (conversions.length) {
        data.attributed = remembered
          ? await getService('experiments').convert(visitor.id!, conversions, now)
          : 0;
      }
      await profiles.track(remembered ? visitor.id : null, events, now);
      ctx.status = 202;
      ctx.body = { data, meta: {} };
    },

    async identify(ctx: KoaContext) {
      const parsed = identifySchema.safeParse(boundedBody(ctx));
      if (!parsed.success) throw validationError(parsed.error);
      const visitorId = parseVisitorId(parsed.data.visitorId, 'visitorId')!;
      const declared = declaredTraits(strapi);
      for (const [name, value] of Object.entries(parsed.data.traits)) {
        const type = declared[name];
        if (type && !fitsTraitType(value, type)) {
          throw new errors.ValidationError(`traits.${name}: must be a ${type} (or null)`, {
            errors: [{ path: ['traits', name], message: `must be a ${type} (or null)` }],
          });
        }
      }
      const traits = await getService('profiles').identify(
        visitorId,
        parsed.data.traits,
        Date.now()
      );
      ctx.body = { data: { traits }, meta: {} };
    },

    async exportProfile(ctx: KoaContext) {
      const visitorId = parseVisitorId(String(ctx.params.visitorId), 'The visitor id')!;
      const profile = await getService('profiles').exportProfile(visitorId);
      if (!profile) throw new errors.NotFoundError('No profile for this visitor');
      ctx.body = { data: profile, meta: {} };
    },

    async eraseProfile(ctx: KoaContext) {
      const visitorId = parseVisitorId(String(ctx.params.visitorId), 'The visitor id')!;
      const erased = await getService('profiles').erase(visitorId);
      if (!erased) throw new errors.NotFoundError('No profile for this visitor');
      ctx.body = { data: { erased: true }, meta: {} };
    },
  };
};
