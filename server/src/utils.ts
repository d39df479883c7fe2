/** A typed way to reach Mosaic's services from anywhere on the server. */
import type { Core } from '@strapi/strapi';

import type services from './services';

type Services = typeof services;
export type ServiceName = keyof Services;
export type Service<N extends ServiceName> = ReturnType<Services[N]>;

/**
 * `instance` defaults to the global `strapi`; callbacks that may outlive it (timers, pub/sub)
 * pass the instance they were set up with.
 */
export function getService<N extends ServiceName>(
  name: N,
  instance: Core.Strapi = strapi
): Service<N> {
  return instance.plugin('mosaic').service(name) as Service<N>;
}
