/**
 * Mosaic's admin entry: the plugin page (asset list, builder, segments), the settings page, the
 * "where used" panel in the Content Manager, and the translations. Links are shown only to admins
 * holding Mosaic's permissions.
 */
import type { StrapiApp } from '@strapi/strapi/admin';

import { Initializer } from './components/Initializer';
import { PluginIcon } from './components/PluginIcon';
import { WhereUsedPanel } from './components/WhereUsedPanel';
import { LINK_PERMISSIONS } from './hooks/useMosaicPermissions';
import { PLUGIN_ID } from './pluginId';
import { getTranslation } from './utils/getTranslation';

const plugin: StrapiApp['appPlugins'][string] = {
  register(app) {
    app.addMenuLink({
      to: `plugins/${PLUGIN_ID}`,
      icon: PluginIcon,
      intlLabel: { id: getTranslation('plugin.name'), defaultMessage: 'Mosaic' },
      Component: () => import('./pages/App'),
      permissions: LINK_PERMISSIONS.read,
    });
    app.addSettingsLink(
      { id: PLUGIN_ID, intlLabel: { id: getTranslation('plugin.name'), defaultMessage: 'Mosaic' } },
      {
        id: `${PLUGIN_ID}-settings`,
        to: PLUGIN_ID,
        intlLabel: { id: getTranslation('settings.link'), defaultMessage: 'Delivery and privacy' },
        Component: () => import('./pages/SettingsPage'),
        permissions: LINK_PERMISSIONS.settings,
      }
    );
    app.registerPlugin({
      id: PLUGIN_ID,
      initializer: Initializer,
      isReady: false,
      name: PLUGIN_ID,
    });
  },

  bootstrap(app) {
    // As content-releases does: only when this Strapi's Content Manager offers side panels.
    const contentManager = app.getPlugin('content-manager')?.apis as
      | { addEditViewSidePanel?: (panels: unknown[]) => void }
      | undefined;
    if (typeof contentManager?.addEditViewSidePanel === 'function') {
      contentManager.addEditViewSidePanel([WhereUsedPanel]);
    }
  },

  registerTrads({ locales }) {
    return Promise.all(
      locales.map(async (locale) => {
        try {
          const { default: data } = (await import(`./translations/${locale}.json`)) as {
            default: Record<string, string>;
          };
          const prefixed: Record<string, string> = {};
          for (const [key, value] of Object.entries(data)) prefixed[getTranslation(key)] = value;
          return { data: prefixed, locale };
        } catch {
          return { data: {}, locale };
        }
      })
    );
  },
};

export default plugin;
