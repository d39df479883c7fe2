/**
 * Extends Mosaic's content types, as any app may. Chunks get an `icon` image, a `cta` button and
 * `seeAlso`, chunks to read next; the delivery API serves them on every chunk: the icon with its
 * url, alternative text, size and formats; the CTA with its label and url; `seeAlso` as
 * documentIds plus the fields config/plugins.js asks for (`extraFields`). Assets get a `summary`
 * (e.g. for a page's meta description), served next to the asset's slug.
 */
module.exports = (plugin) => {
  Object.assign(plugin.contentTypes.chunk.schema.attributes, {
    icon: {
      type: 'media',
      multiple: false,
      allowedTypes: ['images'],
      pluginOptions: { i18n: { localized: false } },
    },
    cta: {
      type: 'component',
      component: 'shared.cta',
      repeatable: false,
      pluginOptions: { i18n: { localized: true } },
    },
    seeAlso: {
      type: 'relation',
      relation: 'manyToMany',
      target: 'plugin::mosaic.chunk',
      pluginOptions: { i18n: { localized: false } },
    },
  });
  Object.assign(plugin.contentTypes.asset.schema.attributes, {
    summary: { type: 'text', pluginOptions: { i18n: { localized: true } } },
  });
  return plugin;
};
