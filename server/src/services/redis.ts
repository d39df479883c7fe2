/**
 * The optional Redis connection (config `redis.url`): what lets several Strapi instances share
 * cache invalidation (pub/sub) and the tracking rate limit. Absent, everything stays in-process.
 *
 * Redis going away fails no request: the rate limiter falls back to its in-memory insurance
 * (services/rate-limit.ts), and since other instances' invalidations cannot arrive, this one
 * empties its compiled cache every `LOCAL_TTL_MS` until Redis is back, so that what another
 * instance publishes shows up within seconds. ioredis reconnects and resubscribes by itself; on
 * its return the cache is emptied once more, for the invalidations missed meanwhile. The outage
 * and the return are logged once each.
 */
import { randomUUID } from 'node:crypto';

import type { Core } from '@strapi/strapi';
import Redis from 'ioredis';

import type { MosaicConfig } from '../config';

const INVALIDATION_CHANNEL = 'mosaic:invalidate';
/**
 * Visitors whose profile changed on an instance: `{ from, hashes, revoked? }`, `hashes` null for
 * all; `revoked`: an erasure revoked the profile summaries issued so far (settings.ts).
 */
const PROFILES_CHANNEL = 'mosaic:profiles';
/** How long compiled content may live here while invalidations cannot arrive. */
export const LOCAL_TTL_MS = 3000;
/** How long a start waits for Redis before serving without it. */
const CONNECT_WAIT_MS = 5000;

export default ({ strapi }: { strapi: Core.Strapi }) => {
  /** Tells this instance's own messages from the others'. */
  const instanceId = randomUUID();
  let client: Redis | null = null;
  let subscriber: Redis | null = null;
  /** Set while the subscriber is not connected: empties the cache every LOCAL_TTL_MS. */
  let expiring: NodeJS.Timeout | null = null;

  /** Told of other instances' profile changes (services/profiles.ts: its profile cache). */
  let onProfiles: (hashes: string[] | 'all', revoked: boolean) => void = () => undefined;

  const url = () => (strapi.config.get('plugin::mosaic') as MosaicConfig).redis?.url;

  return {
    /** The command connection, for the rate limiter; null without Redis. */
    client: () => client,

    /** Who to tell when another instance changed visitors' profiles. */
    onProfileChange(handler: (hashes: string[] | 'all', revoked: boolean) => void) {
      onProfiles = handler;
    },

    /**
     * Whether every other instance's profile changes reach this one: no Redis configured (one
     * instance), or Redis connected and subscribed. Otherwise nothing profile-keyed may be kept.
     */
    profileChangesArrive(): boolean {
      if (!url()) return true;
      return subscriber !== null && subscriber.status === 'ready' && expiring === null;
    },

    /** Connects and calls `onInvalidate` whenever another instance changed Mosaic content. */
    async connect(onInvalidate: () => void) {
      const redisUrl = url();
      if (!redisUrl) return;
      // No offline queue: a Redis outage must fail fast and fall back, not hold requests.
      client = new Redis(redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
      subscriber = new Redis(redisUrl);
      // Errors repeat on every reconnection attempt: the state changes below are what is logged.
      client.on('error', () => undefined);
      subscriber.on('error', () => undefined);

      const lost = (reason: string) => {
        if (expiring) return;
        strapi.log.warn(
          `[mosaic] redis unreachable (${reason}): cache entries live ${LOCAL_TTL_MS / 1000} s and the rate limit is per instance until it returns`
        );
        expiring = setInterval(onInvalidate, LOCAL_TTL_MS);
        expiring.unref();
        onProfiles('all', false);
      };
      subscriber.on('close', () => lost('connection closed'));
      subscriber.on('ready', () => {
        if (!expiring) return;
        clearInterval(expiring);
        expiring = null;
        onInvalidate();
        onProfiles('all', false);
        strapi.log.info('[mosaic] redis reachable again: shared invalidation and rate limit');
      });
      subscriber.on('message', (channel, message) => {
        if (channel === PROFILES_CHANNEL) {
          try {
            const { from, hashes, revoked } = JSON.parse(message) as {
              from: string;
              hashes: string[] | null;
              revoked?: boolean;
            };
            if (from !== instanceId) onProfiles(hashes ?? 'all', revoked === true);
          } catch {
            onProfiles('all', true);
          }
          return;
        }
        if (message !== instanceId) onInvalidate();
      });

      const ready = Promise.all([
        subscriber.subscribe(INVALIDATION_CHANNEL, PROFILES_CHANNEL),
        new Promise<void>((resolve) =>
          client!.status === 'ready' ? resolve() : client!.once('ready', () => resolve())
        ),
      ]);
      let timeout: NodeJS.Timeout | undefined;
      const waited = await Promise.race([
        ready.then(() => true),
        new Promise<false>(
          (resolve) => (timeout = setTimeout(() => resolve(false), CONNECT_WAIT_MS))
        ),
      ]);
      clearTimeout(timeout);
      if (!waited) lost(`no answer within ${CONNECT_WAIT_MS / 1000} s`);
    },

    /** Tells the other instances to drop their compiled cache. */
    async publishInvalidation() {
      // Unreachable, the other instances expire their cache on their own (see above).
      if (!client || client.status !== 'ready') return;
      await client.publish(INVALIDATION_CHANNEL, instanceId).catch((error: Error) => {
        strapi.log.warn(`[mosaic] redis: invalidation not published: ${error.message}`);
      });
    },

    /**
     * Tells the other instances that these visitors' profiles (null: every profile) changed, so
     * that none keeps what it read before; `revoked`, that the profile summaries issued so far are
     * revoked (they read the time again). Resolves once Redis took the message (or refused it).
     */
    async publishProfileChange(hashes: string[] | null, revoked = false) {
      if (!client || client.status !== 'ready') return;
      const message = { from: instanceId, hashes, ...(revoked ? { revoked } : {}) };
      await client.publish(PROFILES_CHANNEL, JSON.stringify(message)).catch((error: Error) => {
        strapi.log.warn(`[mosaic] redis: profile change not published: ${error.message}`);
      });
    },

    async disconnect() {
      subscriber?.removeAllListeners('close');
      if (expiring) clearInterval(expiring);
      expiring = null;
      await Promise.all([client?.quit(), subscriber?.quit()].map((p) => p?.catch(() => undefined)));
      client = null;
      subscriber = null;
    },
  };
};
