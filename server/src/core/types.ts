/**
 * The plain data the pure core works on: the request context, behaviour events and output formats.
 * No Strapi import may appear anywhere under core/.
 */

export const FORMATS = ['json', 'html', 'markdown', 'text'] as const;
export type Format = (typeof FORMATS)[number];

export type DeviceType = 'mobile' | 'tablet' | 'desktop' | 'bot';

/** A behaviour event as `$event` rules read it: `ts` is milliseconds since the epoch. */
export interface BehaviourEvent {
  name: string;
  ts: number;
  value?: number;
  props?: Record<string, unknown>;
}

/** Everything known about one request. Every field may be absent. */
export interface Context {
  persona?: string;
  locale?: string;
  utm?: { source?: string; medium?: string; campaign?: string; term?: string; content?: string };
  referrer?: { host?: string; url?: string };
  device?: { type?: DeviceType };
  geo?: { country?: string; region?: string; city?: string };
  time?: { hour: number; weekday: number; date: string };
  visitor?: {
    known?: boolean;
    visits?: number;
    firstSeen?: string;
    lastSeen?: string;
    new?: boolean;
  };
  traits?: Record<string, unknown>;
  affinity?: { personas?: Record<string, number>; tags?: Record<string, number> };
  /** The visitor's behaviour log, newest last; what `$event` rules read. */
  events?: BehaviourEvent[];
}

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

/** Strapi blocks JSON (the `blocks` field type), kept loose: editors and the API can send anything. */
export type BlocksContent = Array<Record<string, unknown>>;
