/**
 * Database indexes Mosaic needs beyond what Strapi creates: unique keys for the concurrent
 * upserts of profiles and counters (Strapi checks `unique` in code only), and lookups by slug and
 * by visitor, so a cold resolve costs the same however large the library or the event log grows.
 */
import type { Core } from '@strapi/strapi';

import { UIDS } from './content-types';

const INDEXES = [
  { uid: UIDS.profile, attribute: 'visitorHash', unique: true },
  { uid: UIDS.counter, attribute: 'key', unique: true },
  { uid: UIDS.event, attribute: 'visitorHash', unique: false },
  { uid: UIDS.experimentStat, attribute: 'key', unique: true },
  { uid: UIDS.experimentStat, attribute: 'asset', unique: false },
  { uid: UIDS.exposure, attribute: 'key', unique: true },
  { uid: UIDS.exposure, attribute: 'visitorHash', unique: false },
  { uid: UIDS.exposure, attribute: 'batch', unique: false },
  { uid: UIDS.chunk, attribute: 'slug', unique: false },
  { uid: UIDS.asset, attribute: 'slug', unique: false },
] as const;

export async function ensureIndexes(strapi: Core.Strapi) {
  for (const { uid, attribute, unique } of INDEXES) {
    const meta = strapi.db.metadata.get(uid);
    const column =
      (meta.attributes[attribute] as { columnName?: string } | undefined)?.columnName ?? attribute;
    const indexName = `${meta.tableName}_${column}_${unique ? 'uq' : 'idx'}`;
    try {
      await strapi.db.connection.schema.alterTable(meta.tableName, (table) => {
        if (unique) table.unique([column], { indexName });
        else table.index([column], indexName);
      });
    } catch (error) {
      // Already there from an earlier boot.
      if (!/exists|duplicate/i.test(String((error as Error).message))) throw error;
    }
  }
}
