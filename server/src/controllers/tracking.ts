/**
 * Tracking and profile routes: behaviour events from frontends, and the API-token-only routes
 * that set trusted traits, export and erase a profile. Every input is validated before anything
 * is written; a batch is stored whole or not at all. Also the guard that bounds the bytes these
 * routes read, which has to run before Strapi's body parser.
 */
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Context as KoaContext, Next } from 'koa';

import { VISITOR_HEADER } from '../../../contracts/wire';
import type { MosaicConfig } from '../config';
import { detectDevice } from '../core/context';
import type { EventInput } from '../services/tracking';
import { getService } from '../utils';
import { parseInput } from '../validation';
import { bodyOf } from './http';
import {
  behaviourEventSchema,
  eventBatchSchema,
  identifyBody,
  recordImpressionsBody,
} from './schemas';
import { parseVisitorId, visitorOf } from './visitor';

/** Events may be sent late (offline queues) but not from the future beyond clock skew. */
const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

/**
 * Characters a database refuses in text: PostgreSQL takes no NUL in text or JSON, nor an unpaired
 * surrogate in JSON. Refused at the edge, so that no batch fails in the database.
 */
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Throws a ValidationError naming the first string of `value` (keys included) a database refuses. */
function refuseUnstorable(value: unknown, path: string[]): void {
  const check = (text: string, at: string[]) => {
    if (!UNSTORABLE.test(text)) return;
    const message =
      'must not hold a NUL character or an unpaired surrogate (databases refuse them)';
    throw new errors.ValidationError(`${at.join('.')}: ${message}`, {
      errors: [{ path: at, message }],
    });
  };
  if (typeof value === 'string') check(value, path);
  else if (Array.isArray(value))
    value.forEach((item, i) => refuseUnstorable(item, [...path, String(i)]));
  else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      check(key, [...path, key]);
      refuseUnstorable(item, [...path, key]);
    }
  }
}

const fieldError = (path: string[], message: string) =>
  new errors.ValidationError(`${path.join('.')}: ${message}`, { errors: [{ path, message }] });

/** Where a tracking route's body read by the guard waits for its controller. */
const GUARDED_BODY = Symbol('mosaic.trackingBody');

type GuardedBody = { body: unknown } | { error: Error };

function bodyTooLarge(limit: number) {
  return new errors.PayloadTooLargeError(
    `The body is larger than ${limit} bytes: send fewer or smaller events per request`
  );
}

/**
 * Bounds the bytes the tracking routes read, which Strapi's body parser (global, its own limit)
 * reads before any route runs. Mounted ahead of it. A body that declares its length is left to
 * Strapi when the length is within the limit: Node reads no more than declared. A body without
 * one (chunked) is read here, stopping as soon as it passes the limit, and handed to the route
 * parsed; a compressed body is refused, its size once inflated being unknown. Errors are handed
 * to the route as well, so that they are answered in Strapi's error format.
 */
export function trackingBodyGuard(strapi: Core.Strapi) {
  const prefix = () => `${strapi.config.get('api.rest.prefix', '/api')}/mosaic`;
  const guarded = (ctx: KoaContext) =>
    ctx.method === 'POST' &&
    ['events', 'identify', 'impressions'].some((route) => ctx.path === `${prefix()}/${route}`);

  function readCapped(ctx: KoaContext, limit: number): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const req = ctx.req;
      const stop = () => {
        req.off('data', onData);
        req.off('end', onEnd);
        req.off('error', reject);
        req.off('close', onClose);
      };
      const onData = (chunk: Buffer) => {
        size += chunk.length;
        if (size > limit) {
          // The rest is read and dropped, not kept: the connection stays usable for the answer
          // and the client's next request (Node's request timeout bounds a client that never ends).
          stop();
          req.resume();
          reject(bodyTooLarge(limit));
        } else chunks.push(chunk);
      };
      const onEnd = () => {
        stop();
        resolve(Buffer.concat(chunks));
      };
      // A client gone before the end: nobody waits for the answer, but the promise must settle.
      const onClose = () => {
        stop();
        reject(new errors.ValidationError('The body ended before it was complete'));
      };
      req.on('data', onData);
      req.on('end', onEnd);
      req.on('error', reject);
      req.on('close', onClose);
    });
  }

  return async (ctx: KoaContext, next: Next) => {
    if (!guarded(ctx)) return next();
    const limit = (strapi.config.get('plugin::mosaic') as MosaicConfig).eventLog.maxBodyBytes;
    const state = ctx.state as Record<symbol, GuardedBody>;
    const encoding = ctx.get('Content-Encoding').toLowerCase();
    if (encoding && encoding !== 'identity') {
      state[GUARDED_BODY] = {
        error: new errors.ValidationError(
          `Send the body uncompressed (Content-Encoding '${encoding}' is not accepted here)`
        ),
      };
    } else if (ctx.request.length !== undefined) {
      if (ctx.request.length > limit) state[GUARDED_BODY] = { error: bodyTooLarge(limit) };
    } else if (ctx.get('Transfer-Encoding')) {
      try {
        const raw = (await readCapped(ctx, limit)).toString('utf8');
        let body: unknown;
        try {
          body = ctx.is('json') ? JSON.parse(raw) : undefined;
        } catch {
          throw new errors.ValidationError('The body is not valid JSON');
        }
        state[GUARDED_BODY] = { body };
      } catch (error) {
        state[GUARDED_BODY] = { error: error as Error };
      }
    }
    if (state[GUARDED_BODY]) {
      // Read (or refused) already: Strapi's body parser, which reads what declares a body, skips it.
      delete ctx.req.headers['transfer-encoding'];
      delete ctx.req.headers['content-length'];
      delete ctx.req.headers['content-encoding'];
    }
    return next();
  };
}

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const config = () => strapi.config.get('plugin::mosaic') as MosaicConfig;

  /** The body, as the guard read it or Strapi's parser did, within the configured limit. */
  function boundedBody(ctx: KoaContext): unknown {
    const guarded = (ctx.state as Record<symbol, GuardedBody | undefined>)[GUARDED_BODY];
    if (guarded && 'error' in guarded) throw guarded.error;
    if (guarded) return guarded.body;
    return bodyOf(ctx);
  }

  /** Whether the request comes from a crawler that is served but not tracked (`bots.track`). */
  const untrackedBot = (ctx: KoaContext) =>
    !config().bots.track && detectDevice(ctx.get('User-Agent') || undefined) === 'bot';

  /** The batch as the edge checks it: its shape, each event's, storable text, no future time. */
  function parseEvents(body: unknown, now: number): EventInput[] {
    const batch = parseInput(eventBatchSchema(config().eventLog.maxBatch), body);
    return batch.events.map((raw, index) => {
      const path = ['events', String(index)];
      const { ts, ...event } = parseInput(behaviourEventSchema, raw, path);
      refuseUnstorable(event, path);
      const at = ts === undefined ? now : typeof ts === 'number' ? ts : Date.parse(ts);
      if (at > now + MAX_CLOCK_SKEW_MS) throw fieldError([...path, 'ts'], 'is in the future');
      return { ...event, ts: at };
    });
  }

  /** The visitor id an export or erasure names: the header (kept out of URLs and logs) or the path. */
  function namedVisitor(ctx: KoaContext): string {
    if (ctx.params.visitorId !== undefined) {
      return parseVisitorId(String(ctx.params.visitorId), 'The visitor id')!;
    }
    const id = parseVisitorId(ctx.get(VISITOR_HEADER), `The ${VISITOR_HEADER} header`);
    if (!id)
      throw new errors.ValidationError(`Send the visitor id in the ${VISITOR_HEADER} header`);
    return id;
  }

  return {
    async events(ctx: KoaContext) {
      const now = Date.now();
      const body = boundedBody(ctx);
      const visitor = visitorOf(ctx);
      await getService('rate-limit').consume(
        { address: ctx.ip, visitorId: visitor.id },
        (seconds) => ctx.set('Retry-After', String(seconds))
      );
      const events = parseEvents(body, now);
      // A crawler's batch is checked like any other, and then nothing of it is kept or counted.
      const data = await getService('tracking').track(events, visitor, !untrackedBot(ctx), now);
      ctx.status = 202;
      ctx.body = { data, meta: {} };
    },

    async identify(ctx: KoaContext) {
      const body = parseInput(identifyBody, boundedBody(ctx));
      const visitorId = parseVisitorId(body.visitorId, 'visitorId')!;
      refuseUnstorable(body.traits, ['traits']);
      const traits = await getService('profiles').identify(visitorId, body.traits, Date.now());
      ctx.body = { data: { traits }, meta: {} };
    },

    /** Impressions a resolver outside Strapi served (API token): counted as delivery's are. */
    async impressions(ctx: KoaContext) {
      const now = Date.now();
      const report = parseInput(recordImpressionsBody, boundedBody(ctx));
      refuseUnstorable(report, []);
      const visitor = { ...visitorOf(ctx), id: namedVisitor(ctx) };
      const counted = await getService('tracking').impressions(report, visitor, now);
      ctx.status = 202;
      ctx.body = { data: { counted }, meta: {} };
    },

    async exportProfile(ctx: KoaContext) {
      const profile = await getService('profiles').exportProfile(namedVisitor(ctx));
      if (!profile) throw new errors.NotFoundError('No profile for this visitor');
      ctx.body = { data: profile, meta: {} };
    },

    async eraseProfile(ctx: KoaContext) {
      const erased = await getService('profiles').erase(namedVisitor(ctx));
      if (!erased) throw new errors.NotFoundError('No profile for this visitor');
      ctx.body = { data: { erased: true }, meta: {} };
    },
  };
};
