/**
 * Bootstrap: ensures Mosaic's indexes, prepares visitor profiles, schedules retention, and empties the
 * compiled cache whenever Mosaic content or the set of locales changes, whoever wrote it (Content
 * Manager, document service, or a direct query).
 */
import type { Core } from '@strapi/strapi';

import { ensureIndexes } from './indexes';
import { getService } from './utils';

const WATCHED = new Set([
  'plugin::mosaic.chunk',
  'plugin::mosaic.persona',
  'plugin::mosaic.segment',
  'plugin::mosaic.tag',
  'plugin::mosaic.asset',
  'mosaic.slot',
  'mosaic.candidate',
  'plugin::i18n.locale',
  'strapi::core-store',
]);

const WRITES = /^after(Create|Update|Delete)/;

/** Daily, at a quiet hour: profiles and events past the retention period go. */
const RETENTION_RULE = '17 3 * * *';

export default async ({ strapi }: { strapi: Core.Strapi }) => {
  await ensureIndexes(strapi);
  await getService('profiles').bootstrap();
  strapi.cron.add({
    mosaicRetention: {
      task: async () => {
        const purged = await getService('profiles').purge(Date.now());
        strapi.log.info(
          `[mosaic] retention: ${purged.profiles} profiles, ${purged.events} events purged`
        );
      },
      options: { rule: RETENTION_RULE },
    },
  });
  strapi.db.lifecycles.subscribe((event) => {
    if (!WRITES.test(event.action) || !WATCHED.has(event.model.uid)) return;
    getService('cache').clear();
    getService('content').forgetCompiledRules();
  });
};
