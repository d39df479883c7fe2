/**
 * Register: ships Mosaic's components (Strapi only loads components from an app's own folder) and
 * hooks the compiled cache to every write of Mosaic content.
 */
import type { Core } from '@strapi/strapi';
import upperFirst from 'lodash/upperFirst';
import camelCase from 'lodash/camelCase';

import { components } from './content-types';

export default ({ strapi }: { strapi: Core.Strapi }) => {
  for (const [uid, schema] of Object.entries(components)) {
    if (strapi.get('components').get(uid)) continue;
    const [category, modelName] = uid.split('.');
    strapi.get('components').set(uid, {
      ...structuredClone(schema),
      uid,
      category,
      modelType: 'component',
      modelName,
      globalId: upperFirst(camelCase(`component_${uid}`)),
      __schema__: structuredClone(schema),
    });
  }
};
