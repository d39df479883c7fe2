/** Mosaic's server entry: what Strapi loads from `strapi-server`. */
import bootstrap from './bootstrap';
import config from './config';
import contentTypes from './content-types';
import controllers from './controllers';
import destroy from './destroy';
import policies from './policies';
import register from './register';
import routes from './routes';
import services from './services';

export type {
  AfterResolveHook,
  BeforeResolveHook,
  BlocksContent,
  Context,
  ContextEnricher,
  EnricherInput,
  EnricherOptions,
  HookOptions,
  MosaicExtensions,
  OutputFormat,
  ResolveHookContext,
  ResolveResult,
  RuleOperator,
} from '../../contracts/extensions';
export type * as Delivery from '../../contracts/delivery';
export type * as Tracking from '../../contracts/tracking';

export default {
  register,
  bootstrap,
  destroy,
  config,
  contentTypes,
  controllers,
  routes,
  services,
  policies,
  middlewares: {},
};
