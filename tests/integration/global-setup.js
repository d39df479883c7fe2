/**
 * Runs once before the integration suite. The plugin must be built, because Strapi silently skips
 * a plugin whose `strapi-server` build is missing; the playground is compiled to its dist/, the
 * way `strapi develop` and `strapi start` run it.
 */
const fs = require('fs');
const path = require('path');

module.exports = async () => {
  const built = path.resolve(__dirname, '../../dist/server/index.js');
  if (!fs.existsSync(built)) {
    throw new Error(`The plugin is not built (${built} is missing): run 'npm run build' first.`);
  }
  const { compileStrapi } = require('@strapi/strapi');
  await compileStrapi({
    appDir: path.resolve(__dirname, '../../playground'),
    ignoreDiagnostics: false,
  });
};
