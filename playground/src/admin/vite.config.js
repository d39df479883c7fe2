/**
 * The admin bundle takes `slate` from the Content Manager's own copy. Mosaic's server renders
 * blocks with a newer slate, hoisted to the top of node_modules, where the Content Manager's
 * slate-react would otherwise find it and crash the blocks editor of every edit view.
 */
const path = require('path');
const { mergeConfig } = require('vite');

const contentManager = path.dirname(require.resolve('@strapi/content-manager/package.json'));
const slate = path.dirname(require.resolve('slate/package.json', { paths: [contentManager] }));

module.exports = (config) => mergeConfig(config, { resolve: { alias: { slate } } });
