/**
 * Experiment measurement: impressions of the variants `experiment` slots serve, counted once per
 * visitor, asset, slot and day, and conversions attributed to the variants a visitor saw within
 * the attribution window. Counts live in daily rollups (one row per day, asset, slot, variant,
 * matched segments, persona and goal); a visitor appears only as the HMAC profiles use, in the
 * exposure table that dedups and attributes, purged once the window has passed.
 *
 * Resolves never wait for the database: impressions are buffered in memory and written in
 * batches, on a short interval and on shutdown. Each batch inserts its exposures with "ignore on
 * conflict" under a fresh batch token, reads back the rows that carry the token — exactly the ones
 * no one had written before, whichever instance or batch raced it — and adds those to the rollups
 * with atomic increments, all in one transaction.
 */
import { createHash, randomUUID } from 'node:crypto';

import type { Core } from '@strapi/strapi';

import type { MosaicConfig } from '../config';
import { UIDS } from '../content-types';
import type { ExperimentAssignment } from '../core/assembly';
import { getService } from '../utils';
import { documents, tableOf, withRetry, type Knex } from '../data';

const DAY_MS = 24 * 60 * 60 * 1000;
/** The variant name holdout visitors are counted under. */
export const HOLDOUT = 'holdout';
/** Goal name of the exposure row that marks "converted, any goal". */
const ANY_GOAL = '*';
/** Exposures buffered before a flush starts without waiting for the timer. */
const MAX_BUFFERED = 5000;
/** Rows per INSERT: old SQLite builds allow 999 bound variables; an exposure row binds up to 13. */
const ROWS_PER_INSERT = 60;
/** Strapi's string columns hold 255 characters. */
const MAX_SEGMENTS_LENGTH = 255;

export interface Exposure {
  visitorHash: string;
  day: string;
  asset: string;
  slot: string;
  variant: string;
  segments: string;
  persona: string;
}

export interface Conversion {
  /** The asset's documentId, when the event named one: only its experiments get the credit. */
  asset?: string;
  goal?: string;
  value?: number;
}

export const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const sha = (text: string) => createHash('sha256').update(text).digest('hex');

const exposureKey = (e: Pick<Exposure, 'visitorHash' | 'asset' | 'slot' | 'day'>, goal: string) =>
  sha(`${e.visitorHash}|${e.asset}|${e.slot}|${e.day}|${goal}`);

const rollupKey = (e: Omit<Exposure, 'visitorHash'>, goal: string) =>
  sha(`${e.day}|${e.asset}|${e.slot}|${e.variant}|${e.segments}|${e.persona}|${goal}`);

/** The columns an exposure and its rollup rows share: what results are broken down by. */
const dimensions = (
  c: (attribute: string) => string,
  e: Omit<Exposure, 'visitorHash'>,
  goal: string
) => ({
  [c('day')]: e.day,
  [c('asset')]: e.asset,
  [c('slot')]: e.slot,
  [c('variant')]: e.variant,
  [c('segments')]: e.segments,
  [c('persona')]: e.persona,
  [c('goal')]: goal,
});

/** The matched segments as one dimension: sorted, so the same set is the same row. */
export function segmentsDimension(segments: string[]): string {
  return [...segments].sort().join(',').slice(0, MAX_SEGMENTS_LENGTH);
}

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const config = () => (strapi.config.get('plugin::mosaic') as MosaicConfig).experiments;
  const knex = (): Knex => strapi.db.connection;
  const tables = () => ({
    exposures: tableOf(strapi, UIDS.exposure),
    rollups: tableOf(strapi, UIDS.experimentStat),
  });

  let buffer = new Map<string, Exposure>();
  let queue: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | null = null;

  /** Inserts exposure rows, ignoring keys already there; returns the rows this call wrote. */
  async function insertNew<T extends Exposure & { goal: string }>(trx: Knex, rows: T[]) {
    const { exposures } = tables();
    const c = exposures.column;
    const batch = randomUUID();
    const byKey = new Map(rows.map((row) => [exposureKey(row, row.goal), row]));
    const records = [...byKey].map(([key, row]) => ({
      [c('key')]: key,
      [c('visitorHash')]: row.visitorHash,
      ...dimensions(c, row, row.goal),
      [c('batch')]: batch,
      ...exposures.stamps(new Date()),
    }));
    for (let i = 0; i < records.length; i += ROWS_PER_INSERT) {
      await trx(exposures.name)
        .insert(records.slice(i, i + ROWS_PER_INSERT))
        .onConflict(c('key'))
        .ignore();
    }
    const written = await trx(exposures.name).select(c('key')).where(c('batch'), batch);
    return written.map((row: Record<string, unknown>) => byKey.get(String(row[c('key')]))!);
  }

  /** Adds impressions, conversions and value to rollup rows, creating them as needed. */
  async function addToRollups(
    trx: Knex,
    changes: Array<{
      exposure: Exposure;
      goal: string;
      impressions: number;
      conversions: number;
      value: number;
    }>
  ) {
    const { rollups } = tables();
    const c = rollups.column;
    const totals = new Map<string, (typeof changes)[number]>();
    for (const change of changes) {
      const key = rollupKey(change.exposure, change.goal);
      const total = totals.get(key);
      if (!total) totals.set(key, { ...change });
      else {
        total.impressions += change.impressions;
        total.conversions += change.conversions;
        total.value += change.value;
      }
    }
    for (const [key, { exposure, goal, impressions, conversions, value }] of totals) {
      await trx(rollups.name)
        .insert({
          [c('key')]: key,
          ...dimensions(c, exposure, goal),
          [c('impressions')]: impressions,
          [c('conversions')]: conversions,
          [c('value')]: value,
          ...rollups.stamps(new Date()),
        })
        .onConflict(c('key'))
        .merge({
          [c('impressions')]: rollups.plus('impressions', impressions),
          [c('conversions')]: rollups.plus('conversions', conversions),
          [c('value')]: rollups.plus('value', value),
        });
    }
  }

  async function writeImpressions(exposures: Exposure[]) {
    await withRetry(() =>
      knex().transaction(async (trx) => {
        const fresh = await insertNew(
          trx,
          exposures.map((e) => ({ ...e, goal: '' }))
        );
        await addToRollups(
          trx,
          fresh.map((exposure) => ({
            exposure,
            goal: '',
            impressions: 1,
            conversions: 0,
            value: 0,
          }))
        );
      })
    );
  }

  /** Writes what is buffered. Flushes run one after another, each taking what is pending then. */
  function flush(): Promise<void> {
    const run = queue.then(async () => {
      if (!buffer.size) return;
      const pending = [...buffer.values()];
      buffer = new Map();
      try {
        await writeImpressions(pending);
      } catch (error) {
        // Kept for the next flush, unless newer impressions of the same visitor took their place.
        for (const e of pending) {
          const key = exposureKey(e, '');
          if (!buffer.has(key) && buffer.size < MAX_BUFFERED * 4) buffer.set(key, e);
        }
        strapi.log.error(
          `[mosaic] experiment impressions not written yet: ${(error as Error).message}`
        );
        throw error;
      }
    });
    queue = run.catch(() => undefined);
    return run;
  }

  function schedule() {
    if (timer) return;
    timer = setInterval(() => void flush().catch(() => undefined), config().flushIntervalMs);
    timer.unref();
  }

  return {
    flush,

    /**
     * The documentId of the published asset named by documentId or slug; null if none (a draft's
     * slug is not for the public to learn of).
     */
    async assetId(ref: string): Promise<string | null> {
      const [doc] = await documents(strapi, UIDS.asset).findMany<{ documentId: string }>({
        filters: { $or: [{ documentId: ref }, { slug: ref }] },
        status: 'published',
        fields: ['slug'],
        limit: 1,
      });
      return doc?.documentId ?? null;
    },

    /**
     * Notes the variants a consenting visitor was served. Synchronous: the write happens in the
     * next flush. A visitor seen again the same day is counted once.
     */
    record(
      visitorId: string,
      experiments: ExperimentAssignment[],
      context: { segments: string[]; persona: string | null },
      now: number
    ) {
      const visitorHash = getService('profiles', strapi).hash(visitorId);
      const day = dayOf(now);
      const segments = segmentsDimension(context.segments);
      for (const e of experiments) {
        if (!e.bucketed) continue;
        const exposure: Exposure = {
          visitorHash,
          day,
          asset: e.asset,
          slot: e.slot,
          variant: e.holdout ? HOLDOUT : e.variant,
          segments,
          persona: context.persona ?? '',
        };
        const key = exposureKey(exposure, '');
        if (!buffer.has(key)) buffer.set(key, exposure);
      }
      schedule();
      if (buffer.size >= MAX_BUFFERED) void flush().catch(() => undefined);
    },

    /**
     * Credits conversions to the variants the visitor saw within the attribution window: per
     * experiment, the latest day they saw it; once per such day and goal. Returns how many
     * variant conversions were counted.
     */
    async convert(visitorId: string, conversions: Conversion[], now: number): Promise<number> {
      await flush();
      const visitorHash = getService('profiles', strapi).hash(visitorId);
      const since = dayOf(now - config().attributionDays * DAY_MS);
      const { exposures } = tables();
      const c = exposures.column;
      return withRetry(() =>
        knex().transaction(async (trx) => {
          const seen = (await trx(exposures.name)
            .where(c('visitorHash'), visitorHash)
            .where(c('goal'), '')
            .where(c('day'), '>=', since)
            .orderBy(c('day'), 'desc')) as Array<Record<string, unknown>>;
          const latest = new Map<string, Exposure>();
          for (const row of seen) {
            const exposure: Exposure = {
              visitorHash,
              day: String(row[c('day')]),
              asset: String(row[c('asset')]),
              slot: String(row[c('slot')]),
              variant: String(row[c('variant')]),
              segments: String(row[c('segments')] ?? ''),
              persona: String(row[c('persona')] ?? ''),
            };
            const experiment = `${exposure.asset}|${exposure.slot}`;
            if (!latest.has(experiment)) latest.set(experiment, exposure);
          }
          const marks: Array<Exposure & { goal: string; value: number }> = [];
          for (const conversion of conversions) {
            for (const exposure of latest.values()) {
              if (conversion.asset && conversion.asset !== exposure.asset) continue;
              const value = conversion.value ?? 0;
              marks.push({ ...exposure, goal: ANY_GOAL, value });
              if (conversion.goal) marks.push({ ...exposure, goal: conversion.goal, value });
            }
          }
          if (!marks.length) return 0;
          const fresh = await insertNew(trx, marks);
          await addToRollups(
            trx,
            fresh.map((mark) => ({
              exposure: mark,
              goal: mark.goal === ANY_GOAL ? '' : mark.goal,
              impressions: 0,
              conversions: 1,
              value: mark.value,
            }))
          );
          return fresh.filter((mark) => mark.goal === ANY_GOAL).length;
        })
      );
    },

    /**
     * Adds counts to the daily rollups directly, as live counting would have: for history
     * brought from elsewhere, and the demo's seeded traffic.
     */
    async importRollups(
      rows: Array<
        Omit<Exposure, 'visitorHash'> & {
          goal?: string;
          impressions: number;
          conversions: number;
          value?: number;
        }
      >
    ) {
      await withRetry(() =>
        knex().transaction((trx) =>
          addToRollups(
            trx,
            rows.map(({ goal, impressions, conversions, value, ...dims }) => ({
              exposure: { ...dims, visitorHash: '' },
              goal: goal ?? '',
              impressions,
              conversions,
              value: value ?? 0,
            }))
          )
        )
      );
    },

    /**
     * Erasure: the visitor's impressions still in memory go, so that no flush writes them back once
     * their rows are gone. Their rows are erased with the rest of the profile.
     */
    async forget(visitorHash: string) {
      for (const [key, exposure] of buffer) {
        if (exposure.visitorHash === visitorHash) buffer.delete(key);
      }
      // A flush under way took its impressions from the buffer already: its rows land first.
      await queue;
    },

    /** Retention: exposures older than the attribution window have nothing left to do. */
    async purge(now: number): Promise<number> {
      const { exposures } = tables();
      const cutoff = dayOf(now - config().attributionDays * DAY_MS);
      return knex()(exposures.name).where(exposures.column('day'), '<', cutoff).delete();
    },

    /** Shutdown: stop the timer and write what is left. */
    async destroy() {
      if (timer) clearInterval(timer);
      timer = null;
      await flush().catch(() => undefined);
    },
  };
};
