// Mosaic is loaded from the repository root, the way a local plugin is during development.
const path = require('path');

module.exports = ({ env }) => ({
  mosaic: {
    enabled: true,
    resolve: path.resolve(__dirname, '..', '..'),
    config: {
      geoHeaders: { country: 'cf-ipcountry' },
    },
  },
  'users-permissions': {
    config: { jwtSecret: env('JWT_SECRET', 'mosaic-playground-users-permissions-jwt') },
  },
});
