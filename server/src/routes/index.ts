/** Content API routes, served under `/api/mosaic` and governed by Users & Permissions and API tokens. */
export default {
  'content-api': {
    type: 'content-api',
    routes: [
      { method: 'GET', path: '/assets/:slug', handler: 'delivery.asset', config: { policies: [] } },
      { method: 'GET', path: '/chunks/:slug', handler: 'delivery.chunk', config: { policies: [] } },
    ],
  },
};
