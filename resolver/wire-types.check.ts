/**
 * Holds the resolver's published types (wire-types.ts) equal to the contracts' and the core's:
 * `npm run typecheck` fails when either changes alone. Checked, never built: the resolver's builds
 * compile index.ts only.
 */
import type * as Context from '../contracts/context';
import type * as Delivery from '../contracts/delivery';
import type * as ManifestContract from '../contracts/manifest';
import type * as SummaryContract from '../contracts/summary';
import type * as CoreDelivery from '../server/src/core/delivery';
import type * as CoreSummary from '../server/src/core/summary';
import type * as Resolver from './wire-types';

/** Each assignable to the other, and the same keys at every depth (an extra optional key too). */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Shape<T> =
  T extends ReadonlyArray<infer U>
    ? Shape<U>[]
    : T extends object
      ? { [K in keyof T]-?: Shape<Exclude<T[K], undefined>> }
      : T;
type Exact<A, B> = Same<A, B> extends true ? Same<Shape<A>, Shape<B>> : false;

export const resolverTypesMatchContracts: [
  Exact<Resolver.Manifest, ManifestContract.Manifest>,
  Exact<Resolver.ManifestAsset, ManifestContract.ManifestAsset>,
  Exact<Resolver.Context, Context.Context>,
  Exact<Resolver.DeliveredChunk, CoreDelivery.DeliveredChunk>,
  Exact<Resolver.ExperimentAssignment, Delivery.ExperimentAssignment>,
  Exact<Resolver.ProfileSummary, SummaryContract.ProfileSummary>,
  Exact<Resolver.ProfileSummary, CoreSummary.ProfileSummary>,
  Same<Resolver.SummaryRejection, CoreSummary.SummaryRejection>,
] = [true, true, true, true, true, true, true, true];
