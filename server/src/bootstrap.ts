/**
 * Bootstrap: ensures Mosaic's indexes, prepares visitor profiles, schedules retention, and empties the
 * compiled cache whenever Mosaic content or the set of locales changes, whoever wrote it (Content
 * Manager, document service, or a direct query).
 */
import type { Core } from '@strapi/strapi';

import { ADMIN_ACTION_NAMES } from '../../contracts/wire';
import { applyContentManagerLayouts } from './cm-layout';
import { ensureIndexes } from './indexes';
import { handleOutages } from './middlewares/outage';
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

/**
 * Strapi's store holds every plugin's settings and bookkeeping (the upload plugin's weekly
 * metrics, for one): only the default locale and Mosaic's own settings concern delivery. A write
 * whose key the event does not carry (updateMany, deleteMany) counts, to be safe.
 */
/** Store keys whose change is a content change; summaries' revocation is not (settings.ts). */
const STORE_KEYS = /^plugin_(i18n_|mosaic_(?!summaries$))/;

function concernsMosaic(event: { model: { uid: string }; params?: unknown; result?: unknown }) {
  if (event.model.uid !== 'strapi::core-store') return true;
  const params = (event.params ?? {}) as { data?: { key?: unknown }; where?: { key?: unknown } };
  const key = [
    (event.result as { key?: unknown } | undefined)?.key,
    params.data?.key,
    params.where?.key,
  ].find((value) => value !== undefined);
  return typeof key !== 'string' || STORE_KEYS.test(key);
}

/** Admin RBAC actions: who may use Mosaic's admin pages and routes. */
const PERMISSION_ACTIONS = Object.entries(ADMIN_ACTION_NAMES).map(([uid, displayName]) => ({
  uid,
  displayName,
  section: 'plugins',
  pluginName: 'mosaic',
}));

/** Daily, at a quiet hour: profiles, events and counters past the retention period go. */
const RETENTION_RULE = '17 3 * * *';

export default async ({ strapi }: { strapi: Core.Strapi }) => {
  await ensureIndexes(strapi);
  handleOutages(strapi);
  await getService('faults', strapi).bootstrap();
  await strapi.service('admin::permission').actionProvider.registerMany(PERMISSION_ACTIONS);
  await getService('profiles').bootstrap();
  await getService('settings').load();
  // Chunks and assets in the Content Manager: labels, columns, targeting first (app edits kept).
  await applyContentManagerLayouts(strapi);
  strapi.cron.add({
    mosaicRetention: {
      task: async () => {
        const purged = await getService('profiles').purge(Date.now());
        const exposures = await getService('experiments').purge(Date.now());
        strapi.log.info(
          `[mosaic] retention: ${purged.profiles} profiles, ${purged.events} events, ${purged.counters} counters, ${exposures} experiment exposures purged`
        );
      },
      options: { rule: RETENTION_RULE },
    },
  });
  const forget = () => {
    getService('cache', strapi).clear();
    getService('content', strapi).forgetCompiledRules();
  };
  // Another instance's change may be to the settings (kept in Strapi's store): read them again.
  await getService('redis', strapi).connect(() => {
    forget();
    // The settings in force stay as they are until they can be read (the database may be down).
    getService('settings', strapi)
      .load()
      .catch((error: Error) => strapi.log.warn(`[mosaic] settings not reloaded: ${error.message}`));
  });

  // One publication for all the rows a change writes.
  let publishing = false;
  const changed = () => {
    forget();
    if (publishing) return;
    publishing = true;
    setImmediate(() => {
      publishing = false;
      void getService('redis', strapi).publishInvalidation();
    });
  };
  // Fields an app added to chunks and assets read media, related documents and components too.
  const watched = new Set([...WATCHED, ...getService('content', strapi).extraFieldModels()]);
  strapi.db.lifecycles.subscribe((event) => {
    if (!WRITES.test(event.action) || !watched.has(event.model.uid) || !concernsMosaic(event)) {
      return;
    }
    forget();
    // Again once the write is committed: a resolve that read the rows in between, here or on
    // another instance, would otherwise keep what it read before the change.
    void strapi.db.transaction(({ onCommit }) => onCommit(changed));
  });
};
