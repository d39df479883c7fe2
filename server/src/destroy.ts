import type { Core } from '@strapi/strapi';

import { getService } from './utils';

export default (_: { strapi: Core.Strapi }) => {
  getService('cache').clear();
};
