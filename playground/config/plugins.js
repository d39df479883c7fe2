// Mosaic is loaded from the repository root, the way a local plugin is during development.
const fs = require('fs');
const path = require('path');

// This file runs from config/ (the admin build) and from dist/config/ (the server): walk up to
// the repository rather than count levels.
function repositoryRoot() {
  let dir = __dirname;
  while (dir !== path.dirname(dir)) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg) && require(pkg).name === 'strapi-plugin-mosaic') return dir;
    dir = path.dirname(dir);
  }
  throw new Error('The playground must live inside the strapi-plugin-mosaic repository');
}

module.exports = ({ env }) => ({
  mosaic: {
    enabled: true,
    resolve: repositoryRoot(),
    config: {
      geoHeaders: { country: 'cf-ipcountry' },
      // Traits kept in columns of their own, so the segment builder can count audiences over them.
      traits: {
        plan: 'string',
        lifetimeValue: 'float',
        persona: 'string',
        orders: 'integer',
        subscribed: 'boolean',
        signedUp: 'datetime',
      },
      // Set MOSAIC_REDIS_URL (e.g. redis://127.0.0.1:6379) to run several instances together.
      ...(env('MOSAIC_REDIS_URL') ? { redis: { url: env('MOSAIC_REDIS_URL') } } : {}),
      rateLimit: {
        points: env.int('MOSAIC_RATE_LIMIT', 100),
        duration: 10,
        // Per client address; unset, ten visitors' share. The benchmark's load comes from one.
        ...(env('MOSAIC_RATE_LIMIT_PER_ADDRESS')
          ? { perAddress: env.int('MOSAIC_RATE_LIMIT_PER_ADDRESS') }
          : {}),
      },
      // Profile summaries for resolvers at the edge: the site's edge mode shares this secret.
      ...(env('MOSAIC_SUMMARY_SECRET')
        ? { profileSummary: { secret: env('MOSAIC_SUMMARY_SECRET') } }
        : {}),
      // The chunks' `seeAlso` relation (src/extensions/mosaic) is served with these fields.
      extraFields: { chunk: { populate: { seeAlso: { fields: ['slug', 'title'] } } } },
    },
  },
  // Mosaic adds its `mosaicAsset` query; Strapi asks for bounds on generated queries.
  graphql: { config: { defaultLimit: 25, maxLimit: 100, depthLimit: 10 } },
  // The OpenAPI description of the content API, Mosaic's delivery API included. It is written to
  // src/extensions/documentation/ on every start outside production (ignored by git).
  documentation: {
    config: {
      info: { version: '1.0.0', title: 'Mosaic playground' },
      'x-strapi-config': { plugins: ['upload', 'users-permissions', 'mosaic'] },
    },
  },
  'users-permissions': {
    config: { jwtSecret: env('JWT_SECRET', 'mosaic-playground-users-permissions-jwt') },
  },
});
