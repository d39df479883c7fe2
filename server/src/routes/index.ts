/**
 * Content API routes, served under `/api/mosaic` and governed by Users & Permissions and API
 * tokens; admin routes under `/mosaic`, guarded by Mosaic's admin permissions.
 */
import { ADMIN_ACTIONS, type AdminAction } from '../../../contracts/wire';

/**
 * A fresh config per route: Strapi writes each route's permission scope into its config object,
 * so a config shared by several routes would give them all the first route's scope (a token
 * allowed to identify could then export and erase profiles).
 */
const trusted = () => ({ policies: ['plugin::mosaic.api-token-only'] });

/** Admin route config: an authenticated admin holding one of Mosaic's actions. */
const can = (action: AdminAction) => ({
  policies: [
    'admin::isAuthenticatedAdmin',
    { name: 'admin::hasPermissions', config: { actions: [action] } },
  ],
});

const route = (method: string, path: string, handler: string, action: AdminAction) => ({
  method,
  path,
  handler,
  config: can(action),
});

export default {
  admin: {
    type: 'admin',
    routes: [
      route('GET', '/taxonomy', 'editor.taxonomy', ADMIN_ACTIONS.read),
      route('GET', '/assets', 'editor.listAssets', ADMIN_ACTIONS.read),
      route('GET', '/assets/:documentId', 'editor.getAsset', ADMIN_ACTIONS.read),
      route('POST', '/assets', 'editor.createAsset', ADMIN_ACTIONS.edit),
      route('PUT', '/assets/:documentId', 'editor.saveAsset', ADMIN_ACTIONS.edit),
      route('POST', '/assets/:documentId/publish', 'editor.publishAsset', ADMIN_ACTIONS.edit),
      route('POST', '/assets/:documentId/copy', 'asset-actions.copy', ADMIN_ACTIONS.edit),
      route('DELETE', '/assets/:documentId', 'asset-actions.remove', ADMIN_ACTIONS.edit),
      route('GET', '/library', 'editor.library', ADMIN_ACTIONS.read),
      route('POST', '/preview', 'preview.preview', ADMIN_ACTIONS.preview),
      route('POST', '/preview/compare', 'preview.compare', ADMIN_ACTIONS.preview),
      route('GET', '/coverage/:documentId', 'preview.coverage', ADMIN_ACTIONS.read),
      route('POST', '/rules/validate', 'preview.validateRule', ADMIN_ACTIONS.read),
      route('POST', '/rules/test', 'preview.testRule', ADMIN_ACTIONS.read),
      route('POST', '/segments', 'admin.createSegment', ADMIN_ACTIONS.edit),
      route('PUT', '/segments/:documentId', 'admin.updateSegment', ADMIN_ACTIONS.edit),
      route(
        'POST',
        '/segments/:documentId/duplicate',
        'admin.duplicateSegment',
        ADMIN_ACTIONS.edit
      ),
      route('GET', '/segments/:documentId/where-used', 'admin.segmentUses', ADMIN_ACTIONS.read),
      route('DELETE', '/segments/:documentId', 'admin.deleteSegment', ADMIN_ACTIONS.edit),
      route('GET', '/where-used/:documentId', 'editor.whereUsed', ADMIN_ACTIONS.read),
      route('GET', '/settings', 'admin.getSettings', ADMIN_ACTIONS.settings),
      route('PUT', '/settings', 'admin.updateSettings', ADMIN_ACTIONS.settings),
      {
        method: 'GET',
        path: '/cache',
        handler: 'admin.cacheStats',
        config: can(ADMIN_ACTIONS.settings),
      },
      {
        method: 'POST',
        path: '/audience',
        handler: 'admin.audience',
        config: can(ADMIN_ACTIONS.read),
      },
      {
        method: 'GET',
        path: '/insights/:documentId',
        handler: 'insights.get',
        config: can(ADMIN_ACTIONS.read),
      },
      {
        method: 'GET',
        path: '/insights/:documentId/export',
        handler: 'insights.export',
        config: can(ADMIN_ACTIONS.read),
      },
      {
        method: 'POST',
        path: '/insights/:documentId/slots/:slotKey/promote',
        handler: 'insights.promote',
        config: can(ADMIN_ACTIONS.edit),
      },
    ],
  },
  'content-api': {
    type: 'content-api',
    routes: [
      { method: 'GET', path: '/assets/:slug', handler: 'delivery.asset', config: { policies: [] } },
      { method: 'GET', path: '/chunks/:slug', handler: 'delivery.chunk', config: { policies: [] } },
      { method: 'POST', path: '/events', handler: 'tracking.events', config: { policies: [] } },
      // For standalone resolvers: granted to no role by default, so an API token's.
      { method: 'GET', path: '/manifest', handler: 'manifest.read', config: { policies: [] } },
      { method: 'POST', path: '/identify', handler: 'tracking.identify', config: trusted() },
      // What a standalone resolver served a visitor, for experiments' counts (API token).
      {
        method: 'POST',
        path: '/impressions',
        handler: 'tracking.impressions',
        config: trusted(),
      },
      // A consenting visitor's signed profile summary, for resolvers at the edge (public, as delivery).
      {
        method: 'GET',
        path: '/profile/summary',
        handler: 'summary.issue',
        config: { policies: [] },
      },
      // The visitor id in the X-Mosaic-Visitor header: kept out of URLs, and so out of logs.
      { method: 'GET', path: '/profile', handler: 'tracking.exportProfile', config: trusted() },
      { method: 'DELETE', path: '/profile', handler: 'tracking.eraseProfile', config: trusted() },
      // The same with the id in the path, which request logs keep: for existing callers.
      {
        method: 'GET',
        path: '/profiles/:visitorId',
        handler: 'tracking.exportProfile',
        config: trusted(),
      },
      {
        method: 'DELETE',
        path: '/profiles/:visitorId',
        handler: 'tracking.eraseProfile',
        config: trusted(),
      },
    ],
  },
};
