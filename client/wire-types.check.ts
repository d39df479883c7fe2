/**
 * Holds the client's published wire types (wire-types.ts) equal to the contracts' (contracts/,
 * inferred from the zod schemas): `npm run typecheck` fails when either changes alone. Checked,
 * never built: the client's builds compile index.ts only.
 */
import type * as Delivery from '../contracts/delivery';
import type * as Tracking from '../contracts/tracking';
import type * as Client from './wire-types';

/** Each assignable to the other, and the same keys at every depth (an extra optional key too). */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Shape<T> =
  T extends ReadonlyArray<infer U>
    ? Shape<U>[]
    : T extends object
      ? { [K in keyof T]-?: Shape<Exclude<T[K], undefined>> }
      : T;
type Exact<A, B> = Same<A, B> extends true ? Same<Shape<A>, Shape<B>> : false;

export const wireTypesMatchContracts: [
  Exact<Client.ApiError, Delivery.ApiError>,
  Exact<Client.DeliveryQuery, Delivery.DeliveryQuery>,
  Exact<Client.DeliveredChunk, Delivery.DeliveredChunk>,
  Exact<Client.Explain, Delivery.Explain>,
  Exact<Client.ResolveAsset.Response, Delivery.ResolveAsset.Response>,
  Exact<Client.GetChunk.Response, Delivery.GetChunk.Response>,
  Exact<Client.BehaviourEvent, Tracking.BehaviourEvent>,
  Exact<Client.TrackEvents.Response, Tracking.TrackEvents.Response>,
  Exact<Client.Identify.Request['body'], Tracking.Identify.Request['body']>,
  Exact<Client.Identify.Response, Tracking.Identify.Response>,
  Exact<Client.ExportProfile.Response, Tracking.ExportProfile.Response>,
  Exact<Client.EraseProfile.Response, Tracking.EraseProfile.Response>,
] = [true, true, true, true, true, true, true, true, true, true, true, true];
