/**
 * Runs once before the integration suite: the plugin must be built, because Strapi silently skips
 * a plugin whose `strapi-server` build is missing.
 */
const fs = require('fs');
const path = require('path');

module.exports = async () => {
  const built = path.resolve(__dirname, '../../dist/server/index.js');
  if (!fs.existsSync(built)) {
    throw new Error(`The plugin is not built (${built} is missing): run 'npm run build' first.`);
  }
};
