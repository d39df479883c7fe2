/** A typed way to reach Mosaic's services from anywhere on the server. */
import type services from './services';

type Services = typeof services;
export type ServiceName = keyof Services;
export type Service<N extends ServiceName> = ReturnType<Services[N]>;

export function getService<N extends ServiceName>(name: N): Service<N> {
  return strapi.plugin('mosaic').service(name) as Service<N>;
}
