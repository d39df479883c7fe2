/**
 * The tracking rate limit: per visitor id and per client address, shared across instances through
 * Redis when configured, in memory otherwise (and as insurance while Redis is unreachable). The
 * visitor id is the client's to choose, so the address bounds what one client sends whatever ids
 * it makes up. Keys are HMACs, so no raw address or visitor id is kept even there.
 */
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';

import type { MosaicConfig } from '../config';
import { getService } from '../utils';

/** A client address's share when not configured: ten visitors' (households, offices, NAT). */
const VISITORS_PER_ADDRESS = 10;

export default ({ strapi }: { strapi: Core.Strapi }) => {
  let limiters: { visitor: RateLimiterAbstract; address: RateLimiterAbstract } | null = null;

  function build(keyPrefix: string, points: number, duration: number): RateLimiterAbstract {
    const memory = new RateLimiterMemory({ keyPrefix, points, duration });
    const client = getService('redis').client();
    if (!client) return memory;
    return new RateLimiterRedis({
      storeClient: client,
      keyPrefix,
      points,
      duration,
      insuranceLimiter: memory,
    });
  }

  function current() {
    if (!limiters) {
      const { points, duration, perAddress } = (strapi.config.get('plugin::mosaic') as MosaicConfig)
        .rateLimit;
      limiters = {
        visitor: build('mosaic-track', points, duration),
        address: build(
          'mosaic-track-address',
          perAddress ?? points * VISITORS_PER_ADDRESS,
          duration
        ),
      };
    }
    return limiters;
  }

  async function take(limiter: RateLimiterAbstract, key: string) {
    try {
      await limiter.consume(getService('profiles').hash(key));
      return null;
    } catch (rejection) {
      if (rejection instanceof Error) throw rejection;
      const ms = (rejection as { msBeforeNext?: number }).msBeforeNext ?? 1000;
      return Math.max(1, Math.ceil(ms / 1000));
    }
  }

  return {
    /**
     * Counts one tracking request for its address (Strapi's `ctx.ip`, which reads forwarded
     * addresses only when `server.proxy.koa` trusts a proxy) and its visitor id, if any: a 429 with
     * Retry-After once either is over its share.
     */
    async consume(
      client: { address: string; visitorId: string | null },
      setRetryAfter: (seconds: number) => void
    ) {
      const { visitor, address } = current();
      const waits = await Promise.all([
        take(address, `address:${client.address}`),
        client.visitorId === null ? null : take(visitor, `rate:${client.visitorId}`),
      ]);
      const seconds = Math.max(...waits.map((wait) => wait ?? 0));
      if (seconds > 0) {
        setRetryAfter(seconds);
        throw new errors.RateLimitError(`Too many tracking requests: try again in ${seconds} s`);
      }
    },

    reset() {
      limiters = null;
    },
  };
};
