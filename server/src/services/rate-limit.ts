/**
 * The tracking rate limit: per client, shared across instances through Redis when configured,
 * in memory otherwise (and as insurance while Redis is unreachable). Keys are HMACs, so no raw
 * address or visitor id is kept even there.
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

export default ({ strapi }: { strapi: Core.Strapi }) => {
  let limiter: RateLimiterAbstract | null = null;

  function build(): RateLimiterAbstract {
    const { points, duration } = (strapi.config.get('plugin::mosaic') as MosaicConfig).rateLimit;
    const memory = new RateLimiterMemory({ keyPrefix: 'mosaic-track', points, duration });
    const client = getService('redis').client();
    if (!client) return memory;
    return new RateLimiterRedis({
      storeClient: client,
      keyPrefix: 'mosaic-track',
      points,
      duration,
      insuranceLimiter: memory,
    });
  }

  return {
    /** Counts one tracking request for `client`; a 429 with Retry-After once over the limit. */
    async consume(client: string, setRetryAfter: (seconds: number) => void) {
      limiter ??= build();
      try {
        await limiter.consume(getService('profiles').hash(`rate:${client}`));
      } catch (rejection) {
        if (rejection instanceof Error) throw rejection;
        const seconds = Math.ceil(
          ((rejection as { msBeforeNext?: number }).msBeforeNext ?? 1000) / 1000
        );
        setRetryAfter(seconds);
        throw new errors.RateLimitError(`Too many tracking requests: try again in ${seconds} s`);
      }
    },

    reset() {
      limiter = null;
    },
  };
};
