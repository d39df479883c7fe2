/**
 * Visitor profiles: identity (an HMAC of the visitor id, never the id itself), consent, the event
 * log, visits, trusted traits, export, erasure (of every row kept under the HMAC) and retention
 * (counters included). Writes go through knex with atomic
 * increments, so concurrent requests never lose a count; tracked batches are group-committed (the
 * batches that arrive during one write share the next transaction), each request answered once its
 * own batch is committed.
 */
import { createHmac, randomBytes } from 'node:crypto';

import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';

import type { MosaicConfig } from '../config';
import { UIDS } from '../content-types';
import { tableOf, withRetry, type Knex } from '../data';
import { affinityFrom, type ProfileEvent } from '../core/profile';
import { NEW_VISIT_WHEN, visitsAt } from '../core/visits';
import { ProfileCache } from './profile-cache';
import type { Context } from '../core/types';
import { declaredTraits, fitsTraitType, traitAttribute } from '../traits';
import { getService } from '../utils';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface TrackedEvent {
  name: string;
  ts: number;
  value?: number;
  asset?: string;
  slot?: string;
  chunk?: string;
  variantKey?: string;
  personas?: string[];
  tags?: string[];
  props?: Record<string, unknown>;
}

/** A request's batch waiting for the group commit that writes it. */
interface PendingBatch {
  visitorHash: string | null;
  events: TrackedEvent[];
  /**
   * A resolve's visit: `count`, the profile is created or its visit counted (the upsert decides);
   * `continues`, the profile read for the resolve showed the request continuing its visit, so
   * only its last request's time moves (the upsert would decide the same: rows only move forward).
   */
  visit?: 'count' | 'continues';
  now: number;
  done: (error: Error | null) => void;
}

/** What is read of a profile row and of an event row. */
const PROFILE_FIELDS = ['visits', 'eventCount', 'firstSeen', 'lastSeen', 'traits'] as const;
const EVENT_FIELDS = [
  'name',
  'ts',
  'value',
  'asset',
  'slot',
  'chunk',
  'variantKey',
  'personas',
  'tags',
  'props',
] as const;

/** At most this many events in one group transaction, and rows in one insert statement. */
const MAX_GROUP_EVENTS = 2000;
/** Visitors whose continuing visit one UPDATE records (well under every bound-parameter limit). */
const TOUCH_ROWS = 500;
const INSERT_ROWS = 500;

export interface ProfileExport {
  visits: number;
  eventCount: number;
  firstSeen: string | null;
  lastSeen: string | null;
  traits: Record<string, unknown>;
  events: TrackedEvent[];
}

const parseJson = <T>(value: unknown, fallback: T): T => {
  if (value === null || value === undefined) return fallback;
  if (typeof value !== 'string') return value as T;
  try {
    return JSON.parse(value) as T;
  } catch {
    return fallback;
  }
};

const toMillis = (value: unknown): number | null => {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'number') return value;
  const n = Number(value);
  return Number.isFinite(n) && /^\d+$/.test(String(value)) ? n : Date.parse(String(value));
};

/** What a resolve reads of a visitor: their profile row (null: none yet) and newest events. */
interface ResolveRead {
  profile: ProfileRow | null;
  events: TrackedEvent[];
}

interface ProfileRow {
  visits: number;
  eventCount: number;
  firstSeen: number | null;
  lastSeen: number | null;
  traits: Record<string, unknown>;
}

/** What a group commit did to one visitor's row (see `writeGroup`). */
interface VisitorChange {
  events: number;
  now: number;
  visit: boolean;
  /** Only continuing visits and no event: its `lastSeen` moves, in one statement for the group. */
  touch: boolean;
  /** The events appended to their log, in insertion order. */
  logged: TrackedEvent[];
}

/** Without `profileCache` in the config. */
const PROFILE_CACHE_DEFAULTS = { maxEntries: 10000, maxBytes: 32 * 1024 * 1024, ttlMs: 60000 };

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const config = () => strapi.config.get('plugin::mosaic') as MosaicConfig;
  const knex = (): Knex => strapi.db.connection;
  let secret: string | null = null;

  /**
   * Resolves read profiles from here (services/profile-cache.ts): kept in step with every write
   * below, dropped on other instances' writes (Redis), off while those cannot arrive.
   */
  const logSizes = new WeakMap<TrackedEvent[], number>();
  const cache = new ProfileCache<ResolveRead>(
    () => ({ ...PROFILE_CACHE_DEFAULTS, ...config().profileCache }),
    () => getService('redis', strapi).profileChangesArrive(),
    (read) => JSON.stringify(read).length,
    Date.now,
    // Changed in place: the row is small, the events are what grows (sized once per log).
    (read) => {
      let size = logSizes.get(read.events);
      if (size === undefined) {
        size = read.events.reduce((n, event) => n + 64 + JSON.stringify(event).length, 0);
        logSizes.set(read.events, size);
      }
      return 512 + size;
    }
  );
  const publishChange = (hashes: string[] | null) =>
    getService('redis', strapi).publishProfileChange(hashes);

  const tables = () => ({
    profiles: tableOf(strapi, UIDS.profile),
    events: tableOf(strapi, UIDS.event),
    counters: tableOf(strapi, UIDS.counter),
  });

  /**
   * Every Mosaic table that keeps rows under a visitor's HMAC (profiles, events, exposures…), read
   * from the schemas: a content type added later with a `visitorHash` is erased too.
   */
  const visitorTables = () =>
    Object.entries(strapi.contentTypes)
      .filter(
        ([uid, type]) => uid.startsWith('plugin::mosaic.') && 'visitorHash' in type.attributes
      )
      .map(([uid]) => tableOf(strapi, uid));

  async function loadSecret(): Promise<string> {
    const configured = config().visitorSecret;
    if (configured) return configured;
    const store = strapi.store({ type: 'plugin', name: 'mosaic' });
    const stored = (await store.get({ key: 'visitorSecret' })) as string | null;
    if (stored) return stored;
    const generated = randomBytes(32).toString('base64url');
    await store.set({ key: 'visitorSecret', value: generated });
    return generated;
  }

  function hash(visitorId: string): string {
    if (!secret) throw new Error('Mosaic profiles are used before bootstrap');
    return createHmac('sha256', secret).update(visitorId).digest('hex');
  }

  /**
   * Creates or updates a visitor's profile in one atomic upsert: concurrent requests for the same
   * visitor serialise on its row instead of racing between a read and a write, or deadlocking
   * between an insert and an update.
   */
  async function upsertProfile(
    trx: Knex,
    visitorHash: string,
    now: number,
    change: { events?: number; visit?: boolean }
  ) {
    const { profiles } = tables();
    const c = profiles.column;
    const at = new Date(now);
    const events = change.events ?? 0;
    const update: Record<string, unknown> = {};
    // MySQL applies assignments in order: `visits` must read last_seen before it moves.
    if (change.visit) {
      // The rule of core/visits.ts, as SQL over the stored row.
      const when = NEW_VISIT_WHEN.map(({ op }) => `??.?? ${op} ?`).join(' OR ');
      const bindings = NEW_VISIT_WHEN.flatMap(({ field, value, instant }) => [
        profiles.name,
        c(field),
        instant ? new Date(value(now)) : value(now),
      ]);
      update[c('visits')] = trx.raw(`CASE WHEN ${when} THEN ??.?? + 1 ELSE ??.?? END`, [
        ...bindings,
        profiles.name,
        c('visits'),
        profiles.name,
        c('visits'),
      ]);
    }
    if (events) update[c('eventCount')] = profiles.plus('eventCount', events);
    update[c('lastSeen')] = at;
    await trx(profiles.name)
      .insert({
        [c('visitorHash')]: visitorHash,
        [c('visits')]: change.visit ? 1 : 0,
        [c('eventCount')]: events,
        [c('firstSeen')]: at,
        [c('lastSeen')]: at,
        [c('traits')]: JSON.stringify({}),
        ...profiles.stamps(at),
      })
      .onConflict(c('visitorHash'))
      .merge(update);
  }

  /**
   * Continuing visits, the bulk of a returning reader's requests: one UPDATE of `lastSeen` per
   * slice of the group, to the group's latest request time (later than a visitor's own by no more
   * than the moments over which the group's requests arrived; `changes` then carries it for the
   * profile cache). An erased row stays gone.
   */
  async function touchProfiles(trx: Knex, touched: string[], changes: Map<string, VisitorChange>) {
    if (!touched.length) return;
    const { profiles } = tables();
    const c = profiles.column;
    const latest = Math.max(...touched.map((visitorHash) => changes.get(visitorHash)!.now));
    for (const visitorHash of touched) changes.get(visitorHash)!.now = latest;
    for (let i = 0; i < touched.length; i += TOUCH_ROWS) {
      await trx(profiles.name)
        .whereIn(c('visitorHash'), touched.slice(i, i + TOUCH_ROWS))
        .update({ [c('lastSeen')]: new Date(latest) });
    }
  }

  /** Adds a group's events to the anonymous daily counters: one upsert per day, name and asset. */
  async function counted(trx: Knex, batches: PendingBatch[]) {
    const { counters } = tables();
    const totals = new Map<
      string,
      { day: string; name: string; asset: string | null; count: number; at: Date }
    >();
    for (const batch of batches) {
      const day = new Date(batch.now).toISOString().slice(0, 10);
      for (const event of batch.events) {
        const key = `${day}|${event.name}|${event.asset ?? ''}`;
        const entry = totals.get(key) ?? {
          day,
          name: event.name,
          asset: event.asset ?? null,
          count: 0,
          at: new Date(batch.now),
        };
        entry.count += 1;
        totals.set(key, entry);
      }
    }
    // In key order, so concurrent groups on other instances lock the rows in the same order.
    for (const [key, { day, name, asset, count, at }] of [...totals].sort(([a], [b]) =>
      a < b ? -1 : 1
    )) {
      await trx(counters.name)
        .insert({
          [counters.column('key')]: key,
          [counters.column('day')]: day,
          [counters.column('name')]: name,
          [counters.column('asset')]: asset,
          [counters.column('count')]: count,
          ...counters.stamps(at),
        })
        .onConflict(counters.column('key'))
        .merge({
          [counters.column('count')]: counters.plus('count', count),
        });
    }
  }

  /** Writes a group of batches in one transaction: counters, profiles, then the events. */
  /** Each visitor's change in a group: what `writeGroup` writes, and the cache mirrors. */
  function changesOf(batches: PendingBatch[]) {
    const visitors = new Map<string, VisitorChange>();
    for (const batch of batches) {
      if (!batch.visitorHash) continue;
      const seen = visitors.get(batch.visitorHash) ?? {
        events: 0,
        now: batch.now,
        visit: false,
        touch: false,
        logged: [],
      };
      seen.events += batch.events.length;
      seen.now = Math.max(seen.now, batch.now);
      if (batch.visit === 'count') seen.visit = true;
      seen.touch = !seen.visit && seen.events === 0 && batch.visit === 'continues';
      seen.logged.push(...batch.events);
      visitors.set(batch.visitorHash, seen);
    }
    return visitors;
  }

  async function writeGroup(
    trx: Knex,
    batches: PendingBatch[],
    visitors: Map<string, VisitorChange>
  ) {
    const { events: log, profiles } = tables();
    await counted(trx, batches);
    if (!visitors.size) return [];
    const hashes = [...visitors.keys()].sort();
    const touched = hashes.filter((visitorHash) => visitors.get(visitorHash)!.touch);
    for (const visitorHash of hashes) {
      const { events, now, visit, touch } = visitors.get(visitorHash)!;
      if (!touch) await upsertProfile(trx, visitorHash, now, { events, visit });
    }
    await touchProfiles(trx, touched, visitors);
    const c = log.column;
    const rows = batches.flatMap((batch) =>
      batch.visitorHash
        ? batch.events.map((event) => ({
            [c('visitorHash')]: batch.visitorHash,
            [c('name')]: event.name,
            [c('ts')]: event.ts,
            [c('value')]: event.value ?? null,
            [c('asset')]: event.asset ?? null,
            [c('slot')]: event.slot ?? null,
            [c('chunk')]: event.chunk ?? null,
            [c('variantKey')]: event.variantKey ?? null,
            [c('personas')]: event.personas ? JSON.stringify(event.personas) : null,
            [c('tags')]: event.tags ? JSON.stringify(event.tags) : null,
            [c('props')]: event.props ? JSON.stringify(event.props) : null,
            ...log.stamps(new Date(batch.now)),
          }))
        : []
    );
    // Well under every database's limit on bound parameters per statement.
    for (let i = 0; i < rows.length; i += INSERT_ROWS) {
      await trx(log.name).insert(rows.slice(i, i + INSERT_ROWS));
    }
    // Whose log may now be longer than kept: a trim every `slack` events past the limit.
    const logged = hashes.filter((visitorHash) => visitors.get(visitorHash)!.events > 0);
    if (!logged.length) return [];
    const counts = await trx(profiles.name)
      .select(profiles.column('visitorHash'), profiles.column('eventCount'))
      .whereIn(profiles.column('visitorHash'), logged);
    const { maxEvents } = config().eventLog;
    const slack = Math.max(1, Math.ceil(maxEvents / 10));
    return counts
      .filter((row: Record<string, unknown>) => {
        const after = Number(row[profiles.column('eventCount')]);
        const before = after - visitors.get(String(row[profiles.column('visitorHash')]))!.events;
        return after > maxEvents && Math.floor(before / slack) !== Math.floor(after / slack);
      })
      .map((row: Record<string, unknown>) => String(row[profiles.column('visitorHash')]));
  }

  /**
   * Group commit: batches that arrive while a group is being written wait and are written together
   * in the next transaction, so under load many requests share one commit, and a lone request is
   * written at once. Each request's promise settles when its own batch is committed (or failed).
   */
  const pending: PendingBatch[] = [];
  let writing: Promise<void> | null = null;

  async function writePending() {
    while (pending.length) {
      const group: PendingBatch[] = [];
      let size = 0;
      // A visit without events still costs a statement: it weighs as one event.
      const weight = (batch: PendingBatch) => Math.max(1, batch.events.length);
      while (pending.length && (size === 0 || size + weight(pending[0]) <= MAX_GROUP_EVENTS)) {
        const batch = pending.shift()!;
        size += weight(batch);
        group.push(batch);
      }
      await writeTogether(group);
    }
    writing = null;
  }

  /**
   * Writes batches in one transaction. If it fails, each is written again on its own, so that a
   * batch the database refuses fails alone, never the other visitors' batches it shared a group with.
   */
  async function writeTogether(group: PendingBatch[]) {
    const visitors = changesOf(group);
    const hashes = [...visitors.keys()];
    cache.beginWrite(hashes);
    let overLimit: string[];
    try {
      overLimit = await withRetry(() =>
        knex().transaction((trx) => writeGroup(trx, group, visitors))
      );
    } catch (error) {
      cache.endWrite(hashes);
      if (group.length === 1) group[0].done(error as Error);
      else for (const batch of group) await writeTogether([batch]);
      return;
    }
    // Committed: the cached rows change as the SQL changed them, and other instances drop theirs
    // before any request of the group is answered.
    cache.endWrite(hashes, (hash, read) => afterChange(read, visitors.get(hash)!));
    if (hashes.length) await publishChange(hashes);
    for (const visitorHash of overLimit) {
      await trimLog(knex(), visitorHash).catch(() => undefined);
    }
    for (const batch of group) batch.done(null);
  }

  /**
   * A cached read as it is once a group's change to the visitor is committed: the upsert of
   * `upsertProfile` (visit counted by the rule of core/visits.ts, events counted, last seen), the
   * events appended to the log in the order `readWhole` reads them (time, then insertion), the
   * newest `maxEvents` kept.
   */
  function afterChange(read: ResolveRead, change: VisitorChange): ResolveRead {
    // A continuing visit's UPDATE creates no row (the profile was erased meanwhile).
    if (!read.profile && change.touch) return read;
    const profile: ProfileRow = read.profile
      ? {
          ...read.profile,
          visits: change.visit ? visitsAt(read.profile, change.now) : read.profile.visits,
          eventCount: read.profile.eventCount + change.events,
          lastSeen: change.now,
        }
      : {
          visits: change.visit ? 1 : 0,
          eventCount: change.events,
          firstSeen: change.now,
          lastSeen: change.now,
          traits: {},
        };
    if (!change.logged.length) return { profile, events: read.events };
    const appended = change.logged.map((event) =>
      Object.freeze(eventOf((field) => event[field] ?? null))
    );
    // Array.prototype.sort is stable: equal times keep their insertion order, as ids do.
    const events = [...read.events, ...appended].sort((a, b) => a.ts - b.ts);
    return { profile, events: events.slice(-config().eventLog.maxEvents) };
  }

  /** An event from a row of the log, `value(field)` reading the field's column. */
  function eventOf(value: (field: (typeof EVENT_FIELDS)[number]) => unknown): TrackedEvent {
    const event: TrackedEvent = { name: String(value('name')), ts: toMillis(value('ts')) ?? 0 };
    for (const field of ['asset', 'slot', 'chunk', 'variantKey'] as const) {
      if (value(field) !== null && value(field) !== undefined) event[field] = String(value(field));
    }
    if (value('value') !== null && value('value') !== undefined) {
      event.value = Number(value('value'));
    }
    const personas = parseJson<string[] | null>(value('personas'), null);
    const tags = parseJson<string[] | null>(value('tags'), null);
    const props = parseJson<Record<string, unknown> | null>(value('props'), null);
    if (personas?.length) event.personas = personas;
    if (tags?.length) event.tags = tags;
    if (props) event.props = props;
    return event;
  }

  /** Queues a batch for the next group commit, starting one if none is on its way. */
  function enqueue(batch: PendingBatch) {
    pending.push(batch);
    // The first batch waits a moment for others (requests still reading their permissions
    // through the same connection) so that they share one transaction.
    writing ??= new Promise<void>((started) => {
      setTimeout(started, config().eventLog.groupWindowMs);
    }).then(writePending);
  }

  /** A visit nobody waits for: a failure to count it is logged, the answer was given already. */
  const visitDone = (error: Error | null) => {
    if (error) {
      visitWrites.failed += 1;
      strapi.log.warn(`[mosaic] a visit was not counted: ${error.message}`);
    } else visitWrites.written += 1;
  };
  /** Resolves' visits: queued, then written or failed (for the benchmark's "nothing lost"). */
  const visitWrites = { queued: 0, written: 0, failed: 0 };

  async function readEvents(db: Knex, visitorHash: string): Promise<TrackedEvent[]> {
    const { events } = tables();
    const c = events.column;
    const rows = await db(events.name)
      .where(c('visitorHash'), visitorHash)
      .orderBy([
        { column: c('ts'), order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(config().eventLog.maxEvents);
    return rows.reverse().map((row: Record<string, unknown>) => eventOf((field) => row[c(field)]));
  }

  /** A profile row's fields, `value(field)` reading the field's column. */
  function profileOf(value: (field: (typeof PROFILE_FIELDS)[number]) => unknown): ProfileRow {
    return {
      visits: Number(value('visits') ?? 0),
      eventCount: Number(value('eventCount') ?? 0),
      firstSeen: toMillis(value('firstSeen')),
      lastSeen: toMillis(value('lastSeen')),
      traits: parseJson<Record<string, unknown>>(value('traits'), {}),
    };
  }

  /**
   * A visitor's profile and the newest `maxEvents` events of their log in one bounded statement
   * (a left join: the profile's columns repeat on each event row, and come alone without events).
   */
  async function readWhole(db: Knex, visitorHash: string): Promise<ResolveRead | null> {
    const { profiles, events } = tables();
    const rows: Array<Record<string, unknown>> = await db({ p: profiles.name })
      .leftJoin(
        { e: events.name },
        `e.${events.column('visitorHash')}`,
        `p.${profiles.column('visitorHash')}`
      )
      .where(`p.${profiles.column('visitorHash')}`, visitorHash)
      .select([
        ...PROFILE_FIELDS.map((field, i) => `p.${profiles.column(field)} as p${i}`),
        ...EVENT_FIELDS.map((field, i) => `e.${events.column(field)} as e${i}`),
        'e.id as eid',
      ])
      .orderBy([
        { column: `e.${events.column('ts')}`, order: 'desc' },
        { column: 'e.id', order: 'desc' },
      ])
      .limit(config().eventLog.maxEvents);
    if (!rows.length) return null;
    const profile = profileOf((field) => rows[0][`p${PROFILE_FIELDS.indexOf(field)}`]);
    const log = rows
      .filter((row) => row.eid !== null && row.eid !== undefined)
      .reverse()
      // Frozen: kept in the profile cache and handed to every resolve of the visitor.
      .map((row) => Object.freeze(eventOf((field) => row[`e${EVENT_FIELDS.indexOf(field)}`])));
    return { profile, events: log };
  }

  async function readProfile(db: Knex, visitorHash: string) {
    const { profiles } = tables();
    const c = profiles.column;
    const row = await db(profiles.name).where(c('visitorHash'), visitorHash).first();
    return row ? profileOf((field) => row[c(field)]) : null;
  }

  /**
   * Keeps the newest `maxEvents` of a visitor's log. Runs after the batch commits, outside its
   * transaction: reads are bounded anyway, and a trim that loses a race is redone by the next one.
   */
  async function trimLog(trx: Knex, visitorHash: string) {
    const { events } = tables();
    const c = events.column;
    const keep = trx(events.name)
      .select('id')
      .where(c('visitorHash'), visitorHash)
      .orderBy([
        { column: c('ts'), order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(config().eventLog.maxEvents);
    // MySQL refuses LIMIT directly inside IN (…): wrap it in a derived table.
    await trx(events.name)
      .where(c('visitorHash'), visitorHash)
      .whereNotIn('id', trx.select('id').from(keep.as('kept')))
      .delete();
  }

  /** Deletes the rows kept under a visitor's HMAC from every table that has one; how many. */
  async function eraseRows(visitorHash: string): Promise<number> {
    cache.beginWrite([visitorHash]);
    try {
      return await knex().transaction(async (trx) => {
        let removed = 0;
        for (const table of visitorTables()) {
          removed += await trx(table.name).where(table.column('visitorHash'), visitorHash).delete();
        }
        return removed;
      });
    } finally {
      // Whatever happened, nothing read before stays: here and on every other instance.
      cache.endWrite([visitorHash]);
      await publishChange([visitorHash]);
    }
  }

  /** A resolve's context from the visitor's read, its visit queued to be written after. */
  function resolveContext(visitorHash: string, read: ResolveRead, now: number): Partial<Context> {
    const profile = read.profile;
    // As the upsert will count it.
    const visits = visitsAt(profile ?? null, now);
    visitWrites.queued += 1;
    enqueue({
      visitorHash,
      events: [],
      now,
      visit: profile && visits === profile.visits ? 'continues' : 'count',
      done: visitDone,
    });
    // Copies: a hook or enricher may change the context it is handed.
    const events = read.events.slice();
    const { halfLifeDays, saturation } = config().affinity;
    return {
      visitor: {
        known: true,
        visits,
        firstSeen: iso(profile?.firstSeen ?? now) ?? undefined,
        lastSeen: iso(now) ?? undefined,
        new: visits <= 1,
      },
      traits: { ...(profile?.traits ?? {}) },
      events: events as ProfileEvent[],
      affinity: affinityFrom(events, now, { halfLifeMs: halfLifeDays * DAY_MS, saturation }),
    };
  }

  async function settled() {
    while (writing) await writing;
  }

  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

  return {
    async bootstrap() {
      secret = await loadSecret();
      getService('redis', strapi).onProfileChange((hashes, revoked) => {
        cache.drop(hashes);
        if (!revoked) return;
        getService('settings', strapi)
          .reloadRevocation()
          .catch((error: Error) =>
            strapi.log.warn(`[mosaic] summary revocation not reloaded: ${error.message}`)
          );
      });
    },

    /** The profile cache's counters, and whether it holds a visitor (for tests and the benchmark). */
    cacheStats: () => cache.stats(),
    visitStats: () => ({ ...visitWrites }),
    cached: (visitorId: string) => cache.has(hash(visitorId)),

    /**
     * For code that writes profile or event rows itself, past this service: drops what this and
     * every other instance keep of these visitors (by HMAC), as Mosaic's own writes do. Without
     * it, such a write shows within the profile cache's `ttlMs`.
     */
    async changed(visitorHashes: string[]) {
      cache.drop(visitorHashes);
      await publishChange(visitorHashes);
    },

    hash,

    /** Whether this request lets Mosaic remember the visitor. */
    consented(signal: boolean | undefined): boolean {
      return getService('settings', strapi).current().consent === 'implied'
        ? signal !== false
        : signal === true;
    },

    /**
     * What a resolve knows of a consenting visitor: their profile and the newest events of their
     * log, as they are now (real time: from the profile cache, which every write keeps in step,
     * or read in one bounded statement). The visit itself (a new one when the last request is
     * older than the session gap) is written after the answer, with the events' next group
     * commit; the answer counts it already.
     */
    async forResolve(visitorId: string, now: number): Promise<Partial<Context>> {
      const visitorHash = hash(visitorId);
      const read = await cache.get(visitorHash, async () => {
        const whole = await readWhole(knex(), visitorHash);
        return whole ?? { profile: null, events: [] };
      });
      return resolveContext(visitorHash, read, now);
    },

    /**
     * `forResolve` when the profile cache holds the visitor (no wait: the resolve goes on at
     * once), else undefined and nothing done.
     */
    forResolveCached(visitorId: string, now: number): Partial<Context> | undefined {
      const visitorHash = hash(visitorId);
      const read = cache.peek(visitorHash);
      return read && resolveContext(visitorHash, read, now);
    },

    /**
     * Records a batch: anonymous counters always; with a consenting visitor, the events in their
     * log and the profile's counter, all in one transaction.
     */
    track(visitorId: string | null, events: TrackedEvent[], now: number): Promise<void> {
      return new Promise<void>((resolve, reject) => {
        enqueue({
          visitorHash: visitorId ? hash(visitorId) : null,
          events,
          now,
          done: (error) => (error ? reject(error) : resolve()),
        });
      });
    },

    /** Resolves when every batch accepted so far is written (for shutdown). */
    settled,

    /** Merges trusted traits into the profile (API token only, checked by the route). */
    /** Sets trusted traits; a declared trait must fit its type (null clears it), checked first. */
    async identify(visitorId: string, traits: Record<string, unknown>, now: number) {
      const declared = declaredTraits(strapi);
      for (const [name, value] of Object.entries(traits)) {
        const type = declared[name];
        if (type && !fitsTraitType(value, type)) {
          const message = `must be a ${type} (or null)`;
          throw new errors.ValidationError(`traits.${name}: ${message}`, {
            errors: [{ path: ['traits', name], message }],
          });
        }
      }
      const visitorHash = hash(visitorId);
      const { profiles } = tables();
      const c = profiles.column;
      cache.beginWrite([visitorHash]);
      try {
        await knex().transaction(async (trx) => {
          await upsertProfile(trx, visitorHash, now, {});
          const query = trx(profiles.name).where(c('visitorHash'), visitorHash);
          // SQLite serialises writers itself and has no row locks.
          const row = await (
            strapi.db.dialect.client === 'sqlite' ? query : query.forUpdate()
          ).first();
          const merged = {
            ...parseJson<Record<string, unknown>>(row?.[c('traits')], {}),
            ...traits,
          };
          for (const [key, value] of Object.entries(traits)) if (value === null) delete merged[key];
          // Declared traits also go to their own columns, where audience estimates count them.
          const columns: Record<string, unknown> = {};
          for (const [name, value] of Object.entries(traits)) {
            const type = declared[name];
            if (!type) continue;
            columns[c(traitAttribute(name))] =
              type === 'datetime' && value !== null ? new Date(String(value)) : value;
          }
          await trx(profiles.name)
            .where(c('visitorHash'), visitorHash)
            .update({
              [c('traits')]: JSON.stringify(merged),
              [c('updatedAt')]: new Date(now),
              ...columns,
            });
        });
      } finally {
        // Committed or not, nothing read before stays: here and on every other instance.
        cache.endWrite([visitorHash]);
        await publishChange([visitorHash]);
      }
      return (await readProfile(knex(), visitorHash))!.traits;
    },

    /** Whether the visitor has a stored profile (writes accepted before the call included). */
    async exists(visitorId: string): Promise<boolean> {
      await settled();
      return (await readProfile(knex(), hash(visitorId))) !== null;
    },

    async exportProfile(visitorId: string): Promise<ProfileExport | null> {
      const visitorHash = hash(visitorId);
      // A visit or batch accepted before the request is part of the profile it asks for.
      await settled();
      const profile = await readProfile(knex(), visitorHash);
      if (!profile) return null;
      return {
        visits: profile.visits,
        eventCount: profile.eventCount,
        firstSeen: iso(profile.firstSeen),
        lastSeen: iso(profile.lastSeen),
        traits: profile.traits,
        events: await readEvents(knex(), visitorHash),
      };
    },

    /**
     * Removes every row kept under the visitor's HMAC, in every Mosaic table that has one, and
     * their impressions still in memory; true when there was anything.
     */
    async erase(visitorId: string): Promise<boolean> {
      const visitorHash = hash(visitorId);
      // Else a visit or an impression still on its way would write the visitor back once gone.
      await settled();
      await getService('experiments', strapi).forget(visitorHash);
      // A summary issued to them may be held anywhere (a cookie, an edge resolver): every one
      // issued until now is refused from the next manifest on (they ask the server for another).
      // Revoked before the rows go, so that a failure to revoke erases nothing and can be tried
      // again; and once more after, past a summary issued while the rows were being deleted.
      const settings = getService('settings', strapi);
      const summarised = (await readProfile(knex(), visitorHash)) !== null;
      if (summarised) await settings.revokeSummaries(Date.now());
      const removed = await eraseRows(visitorHash);
      if (summarised) {
        await settings.revokeSummaries(Date.now()).catch((error: Error) => {
          strapi.log.warn(`[mosaic] summaries revoked before the erasure only: ${error.message}`);
        });
      }
      // Other instances may hold the visitor's impressions in memory until their next flush:
      // once those have flushed, whatever they wrote goes too.
      const { flushIntervalMs } = config().experiments;
      setTimeout(
        () => void eraseRows(visitorHash).catch(() => undefined),
        2 * flushIntervalMs + config().eventLog.groupWindowMs + 1000
      ).unref();
      return removed > 0;
    },

    /**
     * Retention: drops profiles unseen, and events and anonymous counters older, than the
     * configured period.
     */
    async purge(now: number) {
      const cutoff = now - getService('settings', strapi).current().retentionDays * DAY_MS;
      const { profiles, events, counters } = tables();
      const purged = await knex().transaction(async (trx) => {
        const stale = trx(profiles.name)
          .select(profiles.column('visitorHash'))
          .where(profiles.column('lastSeen'), '<', new Date(cutoff));
        const staleEvents = await trx(events.name)
          .where(events.column('ts'), '<', cutoff)
          .orWhereIn(events.column('visitorHash'), trx.select('*').from(stale.as('stale')))
          .delete();
        const staleProfiles = await trx(profiles.name)
          .where(profiles.column('lastSeen'), '<', new Date(cutoff))
          .delete();
        const staleCounters = await trx(counters.name)
          .where(counters.column('day'), '<', new Date(cutoff).toISOString().slice(0, 10))
          .delete();
        return { profiles: staleProfiles, events: staleEvents, counters: staleCounters };
      });
      cache.drop('all');
      await publishChange(null);
      return purged;
    },
  };
};
