/**
 * Bootstrap: empties the compiled cache whenever Mosaic content or the set of locales changes,
 * whoever wrote it (Content Manager, document service, or a direct query).
 */
import type { Core } from '@strapi/strapi';

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

export default ({ strapi }: { strapi: Core.Strapi }) => {
  strapi.db.lifecycles.subscribe((event) => {
    if (!WRITES.test(event.action) || !WATCHED.has(event.model.uid)) return;
    getService('cache').clear();
    getService('content').forgetCompiledRules();
  });
};
