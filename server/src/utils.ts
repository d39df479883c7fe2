/** A typed way to reach Mosaic's services from anywhere on the server. */
import type { Core } from '@strapi/strapi';

import type services from './services';

type Services = typeof services;
export type ServiceName = keyof Services;
export type Service<N extends ServiceName> = ReturnType<Services[N]>;

/** Services found once per Strapi instance: a lookup through Strapi's registries per call adds up. */
const found = new WeakMap<Core.Strapi, Map<ServiceName, unknown>>();

/**
 * `instance` defaults to the global `strapi`; callbacks that may outlive it (timers, pub/sub)
 * pass the instance they were set up with.
 */
export function getService<N extends ServiceName>(
  name: N,
  instance: Core.Strapi = strapi
): Service<N> {
  let services = found.get(instance);
  if (!services) {
    services = new Map();
    found.set(instance, services);
  }
  let service = services.get(name);
  if (!service) {
    service = instance.plugin('mosaic').service(name);
    if (service) services.set(name, service);
  }
  return service as Service<N>;
}
