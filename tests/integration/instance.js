/**
 * One playground instance in its own process, for the multi-instance test: boots Strapi with
 * Mosaic from the compiled playground and serves on $PORT until it is killed.
 */
const path = require('path');

const { createStrapi } = require('@strapi/strapi');

const appDir = path.resolve(__dirname, '../../playground');

createStrapi({ appDir, distDir: path.join(appDir, 'dist'), autoReload: false })
  .start()
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
