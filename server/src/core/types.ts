/**
 * The plain data the pure core works on: the request context, behaviour events and output formats.
 * No Strapi import may appear anywhere under core/.
 */

// The wire's types live in contracts/; core works on them and re-exports them for its modules.
export { FORMATS } from '../../../contracts/wire';
export type { DeviceType, Format } from '../../../contracts/wire';
export type { BlocksContent, Context } from '../../../contracts/context';
/** A behaviour event as `$event` rules read it: `ts` is milliseconds since the epoch. */
export type { ContextEvent as BehaviourEvent } from '../../../contracts/context';
import type { Context } from '../../../contracts/context';

/**
 * Context fields a request carries itself (its query and headers). The others (`visitor`,
 * `traits`, `affinity`, `events`, and what an enricher adds) are read from a stored profile or
 * an app's lookup: they are a reader's own.
 */
export const REQUEST_CONTEXT_FIELDS = [
  'persona',
  'locale',
  'utm',
  'referrer',
  'device',
  'geo',
  'time',
] as const satisfies ReadonlyArray<keyof Context>;

/** The context's top-level fields, the ones a segment rule may read (`events` through `$event`). */
export const CONTEXT_FIELDS = [
  ...REQUEST_CONTEXT_FIELDS,
  'visitor',
  'traits',
  'affinity',
] as const satisfies ReadonlyArray<Exclude<keyof Context, 'events'>>;

/** The column types a field of the context may be declared with (declared traits' types). */
export type FieldType = 'string' | 'integer' | 'float' | 'boolean' | 'datetime';

/** Declared types by field path (`visitor.firstSeen`, `traits.signedUp`); see core/rules.ts. */
export type FieldTypes = Readonly<Record<string, FieldType>>;

/** The context's own typed fields: its datetimes are compared as instants, as a column would be. */
export const CONTEXT_FIELD_TYPES: FieldTypes = Object.freeze({
  'visitor.firstSeen': 'datetime',
  'visitor.lastSeen': 'datetime',
});
