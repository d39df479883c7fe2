module.exports = ({ env }) => [
  'strapi::logger',
  'strapi::errors',
  'strapi::security',
  {
    name: 'strapi::cors',
    // Only the listed origins may call from a browser (Strapi's default answers any origin, with
    // credentials). Mosaic adds its visitor headers to the allowed request headers itself.
    config: {
      origin: env.array('CORS_ORIGINS', ['http://localhost:1337', 'http://localhost:3000']),
    },
  },
  'strapi::poweredBy',
  'strapi::query',
  'strapi::body',
  'strapi::session',
  'strapi::favicon',
  'strapi::public',
];
