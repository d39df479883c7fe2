/**
 * Types of Mosaic's extension points, for apps that extend it from their `register`:
 * `strapi.plugin('mosaic').service('extensions')` is a `MosaicExtensions`. Exported from the
 * server entry (`strapi-plugin-mosaic/strapi-server`) as well.
 */
import type { BlocksContent, Context } from './context';

export type { BlocksContent, Context };

/** What an enricher is given: the request and the context built so far (read-only). */
export interface EnricherInput {
  kind: 'asset' | 'chunk';
  slug: string;
  /** Request headers, by lower-case name. */
  headers: Readonly<Record<string, string | undefined>>;
  /** Query parameters of a REST request; empty for GraphQL. */
  query: Readonly<Record<string, string | undefined>>;
  context: Readonly<Context>;
}

/**
 * Adds to the context: what it returns is merged in (objects such as `traits` key by key). Return
 * nothing to add nothing. A throwing enricher, or one slower than its budget, is skipped and logged.
 */
export type ContextEnricher = (
  input: EnricherInput
) => Partial<Context> | void | Promise<Partial<Context> | void>;

export interface EnricherOptions {
  /** Time budget in milliseconds (default 50): a slower enricher is skipped for that request. */
  timeoutMs?: number;
  /**
   * Request headers the enricher reads. They are added to `Vary` of every answer, so that a
   * shared cache never serves one reader's answer to another whose headers differ.
   */
  vary?: string[];
}

/**
 * A rule operator used like Strapi's own under a field: `{ traits: { plan: { $myOp: value } } }`.
 * `validate` runs when a segment is saved (a message refuses it; null accepts it). `evaluate`
 * answers true, false, or null when it cannot tell (no match). A throw is a refusal at save and
 * no match at resolve: it never fails a request.
 */
export interface RuleOperator {
  validate(value: unknown): string | null;
  evaluate(actual: unknown, value: unknown): boolean | null;
}

/**
 * An output format, asked for with `?format=<name>`: renders a chunk's blocks, merge fields already
 * filled in, to a string. The renderer owns the escaping its format needs.
 */
export interface OutputFormat {
  /** The media type of the rendered content, e.g. `text/markdown`; reported as `meta.contentType`. */
  contentType: string;
  render(blocks: BlocksContent, context: Readonly<Context>): string;
}

/** What a lifecycle hook is told about the resolution. */
export interface ResolveHookContext {
  kind: 'asset' | 'chunk';
  slug: string;
  format: string;
  locale: string | null;
  context: Readonly<Context>;
}

/** The answer about to be sent: hooks may add to `meta`; `data` must stay as it is. */
export interface ResolveResult {
  data: unknown;
  meta: Record<string, unknown>;
}

export type BeforeResolveHook = (ctx: ResolveHookContext) => void | Promise<void>;
export type AfterResolveHook = (
  result: ResolveResult,
  ctx: ResolveHookContext
) => void | Promise<void>;

export interface HookOptions {
  /** Time budget in milliseconds (default 100): the request no longer waits for a slower hook. */
  timeoutMs?: number;
}

/** `strapi.plugin('mosaic').service('extensions')`, called from an app's `register`. */
export interface MosaicExtensions {
  registerEnricher(name: string, enricher: ContextEnricher, options?: EnricherOptions): void;
  registerOperator(name: `$${string}`, operator: RuleOperator): void;
  registerFormat(name: string, format: OutputFormat): void;
  beforeResolve(hook: BeforeResolveHook, options?: HookOptions): void;
  afterResolve(hook: AfterResolveHook, options?: HookOptions): void;
}
