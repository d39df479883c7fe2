/**
 * Content API routes, served under `/api/mosaic` and governed by Users & Permissions and API
 * tokens; admin routes under `/mosaic`, guarded by Mosaic's admin permissions.
 */
import { ADMIN_ACTIONS, type AdminAction } from '../../../contracts/admin';

const trusted = { policies: ['plugin::mosaic.api-token-only'] };

/** Admin route config: an authenticated admin holding one of Mosaic's actions. */
const can = (action: AdminAction) => ({
  policies: [
    'admin::isAuthenticatedAdmin',
    { name: 'admin::hasPermissions', config: { actions: [action] } },
  ],
});

export default {
  admin: {
    type: 'admin',
    routes: [
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
        path: '/insights/:assetDocumentId',
        handler: 'insights.get',
        config: can(ADMIN_ACTIONS.read),
      },
      {
        method: 'GET',
        path: '/insights/:assetDocumentId/export',
        handler: 'insights.export',
        config: can(ADMIN_ACTIONS.read),
      },
      {
        method: 'POST',
        path: '/insights/:assetDocumentId/slots/:slotKey/promote',
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
      { method: 'POST', path: '/identify', handler: 'tracking.identify', config: trusted },
      {
        method: 'GET',
        path: '/profiles/:visitorId',
        handler: 'tracking.exportProfile',
        config: trusted,
      },
      {
        method: 'DELETE',
        path: '/profiles/:visitorId',
        handler: 'tracking.eraseProfile',
        config: trusted,
      },
    ],
  },
};
