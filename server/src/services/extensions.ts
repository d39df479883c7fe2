/**
 * Extension points an app registers from its `register` (contracts/extensions.ts): context
 * enrichers, rule operators, output formats and hooks around resolution. Owns the registries and
 * the guarantee that a broken extension cannot break a request: enrichers and hooks run under a
 * time budget and their failures are logged and skipped.
 */
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';

import type {
  AfterResolveHook,
  BeforeResolveHook,
  ContextEnricher,
  EnricherInput,
  EnricherOptions,
  HookOptions,
  MosaicExtensions,
  OutputFormat,
  ResolveHookContext,
  ResolveResult,
  RuleOperator,
} from '../../../contracts/extensions';
import { AppFormatFailure, type OutputFormat as CoreOutputFormat } from '../core/delivery';
import { BUILT_IN_OPERATORS, type CustomOperator } from '../core/rules';
import { CONTEXT_FIELDS, FORMATS, type Context, type Format } from '../core/types';
import type { DeliveryRequest } from './delivery';

const DEFAULT_ENRICHER_BUDGET_MS = 50;
const DEFAULT_HOOK_BUDGET_MS = 100;
const NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
const OPERATOR_NAME = /^\$[A-Za-z][A-Za-z0-9]{0,63}$/;
const FORMAT_NAME = /^[a-z][a-z0-9-]{0,31}$/;
const HEADER_NAME = /^[A-Za-z0-9-]+$/;
// The persona and locale are decided by Mosaic (an enricher sets `traits.persona` to choose one).
const ENRICHABLE = new Set<string>(CONTEXT_FIELDS.filter((f) => f !== 'persona' && f !== 'locale'));
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * An app format failed on a chunk. The HTTP layer answers 500 with this message: the request was
 * valid, the format is broken; other formats keep working.
 */
export class FormatRenderError extends errors.ApplicationError<'FormatRenderError'> {
  constructor(failure: AppFormatFailure) {
    super(
      `Format '${failure.format}' failed to render chunk '${failure.chunk}': ${messageOf(failure.reason)}`,
      { format: failure.format, chunk: failure.chunk }
    );
    this.name = 'FormatRenderError';
  }
}

interface Registered<T> {
  name: string;
  run: T;
  timeoutMs: number;
}

export interface Enrichment {
  /** Whether any enricher added something: the answer is then this reader's own. */
  enriched: boolean;
  /** Headers the enrichers read (for `Vary`). */
  vary: string[];
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  [Object.prototype, null].includes(Object.getPrototypeOf(value));

/** Merges `added` into `target`, objects key by key; prototype keys are ignored. */
function mergeInto(target: Record<string, unknown>, added: Record<string, unknown>) {
  for (const [key, value] of Object.entries(added)) {
    if (FORBIDDEN_KEYS.has(key) || value === undefined) continue;
    const current = target[key];
    if (isPlainObject(value) && isPlainObject(current)) {
      const copy = { ...current };
      mergeInto(copy, value);
      target[key] = copy;
    } else target[key] = value;
  }
}

class BudgetExceeded extends Error {}

/** Runs `task` for at most `ms`; its rejection or lateness is the caller's to log. */
async function withinBudget<T>(task: () => T | Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new BudgetExceeded(`took longer than ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([Promise.resolve().then(task), late]);
  } finally {
    clearTimeout(timer);
  }
}

function checkName(
  kind: string,
  name: string,
  pattern: RegExp,
  taken: Iterable<string>,
  builtIn: readonly string[] = []
) {
  if (!pattern.test(name)) {
    throw new Error(`[mosaic] ${kind} name '${name}' must match ${pattern}`);
  }
  if (builtIn.includes(name)) throw new Error(`[mosaic] ${kind} '${name}' is built in`);
  if ([...taken].includes(name)) {
    throw new Error(`[mosaic] ${kind} '${name}' is already registered`);
  }
}

function checkBudget(options: { timeoutMs?: number } | undefined, fallback: number): number {
  const ms = options?.timeoutMs ?? fallback;
  if (!Number.isFinite(ms) || ms <= 0) {
    throw new Error(`[mosaic] timeoutMs must be a positive number of milliseconds, got ${ms}`);
  }
  return ms;
}

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const enrichers: Array<Registered<ContextEnricher> & { vary: string[] }> = [];
  const operators = new Map<string, CustomOperator>();
  const formats = new Map<string, OutputFormat>();
  const before: Array<Registered<BeforeResolveHook>> = [];
  const after: Array<Registered<AfterResolveHook>> = [];

  const api: MosaicExtensions = {
    registerEnricher(name: string, enricher: ContextEnricher, options?: EnricherOptions) {
      checkName(
        'enricher',
        name,
        NAME,
        enrichers.map((e) => e.name)
      );
      if (typeof enricher !== 'function')
        throw new Error(`[mosaic] enricher '${name}' must be a function`);
      const vary = options?.vary ?? [];
      for (const header of vary) {
        if (!HEADER_NAME.test(header)) {
          throw new Error(`[mosaic] enricher '${name}': vary '${header}' is not a header name`);
        }
      }
      enrichers.push({
        name,
        run: enricher,
        timeoutMs: checkBudget(options, DEFAULT_ENRICHER_BUDGET_MS),
        vary,
      });
    },

    registerOperator(name: string, operator: RuleOperator) {
      checkName('operator', name, OPERATOR_NAME, operators.keys(), BUILT_IN_OPERATORS);
      if (typeof operator?.validate !== 'function' || typeof operator?.evaluate !== 'function') {
        throw new Error(
          `[mosaic] operator '${name}' needs validate(value) and evaluate(actual, value)`
        );
      }
      operators.set(name, operator);
    },

    registerFormat(name: string, format: OutputFormat) {
      checkName('format', name, FORMAT_NAME, formats.keys(), FORMATS);
      if (typeof format?.render !== 'function' || typeof format?.contentType !== 'string') {
        throw new Error(
          `[mosaic] format '${name}' needs render(blocks, context) and a contentType`
        );
      }
      formats.set(name, format);
    },

    beforeResolve(hook: BeforeResolveHook, options?: HookOptions) {
      before.push({
        name: hook.name || `beforeResolve #${before.length + 1}`,
        run: hook,
        timeoutMs: checkBudget(options, DEFAULT_HOOK_BUDGET_MS),
      });
    },

    afterResolve(hook: AfterResolveHook, options?: HookOptions) {
      after.push({
        name: hook.name || `afterResolve #${after.length + 1}`,
        run: hook,
        timeoutMs: checkBudget(options, DEFAULT_HOOK_BUDGET_MS),
      });
    },
  };

  const skip = (what: string, error: unknown) =>
    strapi.log.warn(`[mosaic] ${what} skipped: ${messageOf(error)}`);

  return {
    ...api,

    /** Operators apps registered, for validating and compiling rules. */
    operators(): ReadonlyMap<string, CustomOperator> {
      return operators;
    },

    /** Every format `?format=` accepts: the built-in ones, then the registered ones. */
    formatNames(): string[] {
      return [...FORMATS, ...formats.keys()];
    },

    /** What to render `name` with; an unknown name is a 400 listing the known ones. */
    outputFormat(name: string): CoreOutputFormat {
      if ((FORMATS as readonly string[]).includes(name)) return name as Format;
      const format = formats.get(name);
      if (!format) {
        throw new errors.ValidationError(
          `Unknown format '${name}': use one of ${[...FORMATS, ...formats.keys()].join(', ')}`,
          { errors: [{ path: ['format'], message: `Unknown format '${name}'` }] }
        );
      }
      return { name, contentType: format.contentType, render: format.render.bind(format) };
    },

    /** Whether an enricher is registered: without one, `enrich` has nothing to do. */
    enriching(): boolean {
      return enrichers.length > 0;
    },

    /** Whether a beforeResolve or afterResolve hook is registered. */
    hooked(): boolean {
      return before.length > 0 || after.length > 0;
    },

    /** Runs `render`, turning an app format's failure into a FormatRenderError. */
    render<T>(render: () => T): T {
      try {
        return render();
      } catch (error) {
        if (error instanceof AppFormatFailure) {
          strapi.log.error(`[mosaic] ${error.message}: ${messageOf(error.reason)}`);
          throw new FormatRenderError(error);
        }
        throw error;
      }
    },

    /**
     * Runs every enricher at once, each within its budget, and merges what they return into
     * `context` in registration order. Never throws.
     */
    async enrich(context: Context, input: Omit<EnricherInput, 'context'>): Promise<Enrichment> {
      if (!enrichers.length) return { enriched: false, vary: [] };
      const frozen = structuredClone(context);
      const results = await Promise.all(
        enrichers.map(async (enricher) => {
          try {
            return await withinBudget(
              () => enricher.run({ ...input, context: frozen }),
              enricher.timeoutMs
            );
          } catch (error) {
            skip(`enricher '${enricher.name}'`, error);
            return undefined;
          }
        })
      );
      let enriched = false;
      results.forEach((added, index) => {
        if (added === undefined || added === null) return;
        if (!isPlainObject(added)) {
          skip(`enricher '${enrichers[index].name}'`, 'it must return an object of context fields');
          return;
        }
        const known: Record<string, unknown> = {};
        for (const [field, value] of Object.entries(added)) {
          if (ENRICHABLE.has(field)) known[field] = value;
          else
            strapi.log.warn(
              `[mosaic] enricher '${enrichers[index].name}': '${field}' cannot be enriched (use ${[...ENRICHABLE].join(', ')}); ignored`
            );
        }
        if (!Object.keys(known).length) return;
        mergeInto(context as Record<string, unknown>, known);
        enriched = true;
      });
      return { enriched, vary: [...new Set(enrichers.flatMap((e) => e.vary))] };
    },

    /** Runs the beforeResolve hooks; answers the hook context afterResolve hooks are given. */
    async beforeResolveHooks(
      kind: 'asset' | 'chunk',
      request: DeliveryRequest,
      locale: string | null,
      context: Context
    ): Promise<ResolveHookContext> {
      const ctx: ResolveHookContext = {
        kind,
        slug: request.slug,
        format: request.format,
        locale,
        // Hooks watch the resolution; a copy keeps one from changing what is resolved.
        context: before.length || after.length ? structuredClone(context) : context,
      };
      for (const hook of before) {
        try {
          await withinBudget(() => hook.run(ctx), hook.timeoutMs);
        } catch (error) {
          skip(`hook '${hook.name}'`, error);
        }
      }
      return ctx;
    },

    async afterResolveHooks(
      result: { data: unknown; meta: object },
      ctx: ResolveHookContext
    ): Promise<void> {
      for (const hook of after) {
        try {
          await withinBudget(() => hook.run(result as ResolveResult, ctx), hook.timeoutMs);
        } catch (error) {
          skip(`hook '${hook.name}'`, error);
        }
      }
    },
  };
};
