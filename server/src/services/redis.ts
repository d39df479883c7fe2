/**
 * The optional Redis connection (config `redis.url`): what lets several Strapi instances share
 * cache invalidation (pub/sub) and the tracking rate limit. Absent, everything stays in-process.
 */
import { randomUUID } from 'node:crypto';

import type { Core } from '@strapi/strapi';
import Redis from 'ioredis';

import type { MosaicConfig } from '../config';

const INVALIDATION_CHANNEL = 'mosaic:invalidate';

export default ({ strapi }: { strapi: Core.Strapi }) => {
  /** Tells this instance's own messages from the others'. */
  const instanceId = randomUUID();
  let client: Redis | null = null;
  let subscriber: Redis | null = null;

  const url = () => (strapi.config.get('plugin::mosaic') as MosaicConfig).redis?.url;

  return {
    /** The command connection, for the rate limiter; null without Redis. */
    client: () => client,

    /** Connects and calls `onInvalidate` whenever another instance changed Mosaic content. */
    async connect(onInvalidate: () => void) {
      const redisUrl = url();
      if (!redisUrl) return;
      // No offline queue: a Redis outage must fail fast and fall back, not hold requests.
      client = new Redis(redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
      subscriber = new Redis(redisUrl);
      for (const connection of [client, subscriber]) {
        connection.on('error', (error) => strapi.log.warn(`[mosaic] redis: ${error.message}`));
      }
      await subscriber.subscribe(INVALIDATION_CHANNEL);
      subscriber.on('message', (_channel, sender) => {
        if (sender !== instanceId) onInvalidate();
      });
      await new Promise<void>((resolve) =>
        client!.status === 'ready' ? resolve() : client!.once('ready', () => resolve())
      );
    },

    /** Tells the other instances to drop their compiled cache. */
    async publishInvalidation() {
      if (!client) return;
      await client.publish(INVALIDATION_CHANNEL, instanceId).catch((error: Error) => {
        strapi.log.warn(`[mosaic] redis: invalidation not published: ${error.message}`);
      });
    },

    async disconnect() {
      await Promise.all([client?.quit(), subscriber?.quit()].map((p) => p?.catch(() => undefined)));
      client = null;
      subscriber = null;
    },
  };
};
