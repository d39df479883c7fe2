/**
 * Turns chosen chunks into what the delivery API returns: content rendered in the requested format
 * with merge fields filled, and the variant key that fingerprints the result.
 */
import type { DeliveredChunk } from '../../../contracts/delivery';
import type { CompiledAsset, CompiledChunk, Resolution } from './assembly';
import { REQUEST_FIELDS } from './context';
import { readMergeValue } from './merge';
import { compileTemplate, fillBlocks, fillTemplate, type Template } from './render';
import { base64url, sha256 } from './sha256';
import type { BlocksContent, Context, Format } from './types';

/** A format an app registered (services/extensions.ts): it renders the filled blocks itself. */
export interface AppFormat {
  name: string;
  contentType: string;
  render(blocks: BlocksContent, ctx: Context): string;
}

export type OutputFormat = Format | AppFormat;

const formatName = (format: OutputFormat) => (typeof format === 'string' ? format : format.name);

/** An app format's renderer threw or returned something other than a string. */
export class AppFormatFailure extends Error {
  constructor(
    readonly format: string,
    readonly chunk: string,
    readonly reason: unknown
  ) {
    super(`format '${format}' failed on chunk '${chunk}'`);
    this.name = 'AppFormatFailure';
  }
}

function renderAppFormat(chunk: CompiledChunk, format: AppFormat, ctx: Context) {
  const filled = fillBlocks(chunk.body, ctx);
  // The compiled body is shared by every request: the renderer gets its own copy.
  const blocks = filled === chunk.body ? structuredClone(chunk.body) : filled;
  let content: unknown;
  try {
    content = format.render(blocks, ctx);
  } catch (error) {
    throw new AppFormatFailure(format.name, chunk.slug, error);
  }
  if (typeof content !== 'string') {
    throw new AppFormatFailure(format.name, chunk.slug, new Error('render must return a string'));
  }
  return { content, merged: filled !== chunk.body };
}

export type { DeliveredChunk };

export interface RenderedChunk {
  chunk: DeliveredChunk;
  /** The merge values that went into the content, in order: part of the variant key. */
  mergeValues: string[];
}

/** Adds the top-level context fields a template's merge fields read (found or not) to `read`. */
function addFieldsRead(template: Template, read: Set<string>): void {
  for (const field of template.fields) read.add(field.path.split('.', 1)[0]);
}

function templateFor(chunk: CompiledChunk, format: Template['format']): Template {
  let template = chunk.templates[format];
  if (!template) {
    template = compileTemplate(chunk.body, format);
    chunk.templates[format] = template;
  }
  return template;
}

export function renderChunk(
  chunk: CompiledChunk,
  format: OutputFormat,
  ctx: Context
): RenderedChunk {
  let content: unknown;
  let mergeValues: string[];
  if (typeof format !== 'string') {
    const rendered = renderAppFormat(chunk, format, ctx);
    content = rendered.content;
    mergeValues = rendered.merged ? mergeValuesOf(templateFor(chunk, 'text'), ctx) : [];
  } else if (format === 'json') {
    content = fillBlocks(chunk.body, ctx);
    // Every text template holds the body's merge fields in document order, so any one will do.
    mergeValues = content === chunk.body ? [] : mergeValuesOf(templateFor(chunk, 'text'), ctx);
  } else {
    const template = templateFor(chunk, format);
    content = fillTemplate(template, ctx);
    mergeValues = mergeValuesOf(template, ctx);
  }
  return {
    chunk: {
      ...chunk.extra,
      documentId: chunk.documentId,
      slug: chunk.slug,
      title: chunk.title,
      locale: chunk.locale,
      content,
    },
    mergeValues,
  };
}

const NO_VALUES: string[] = [];

function mergeValuesOf(template: Template, ctx: Context): string[] {
  if (!template.fields.length) return NO_VALUES;
  return template.fields.map((field) => readMergeValue(ctx, field));
}

export interface Assembly {
  slots: Array<{ key: string; chunks: DeliveredChunk[] }>;
  variantKey: string;
}

/** Fingerprints a chosen chunk: its identity, version and the merge values filled into it. */
function chunkPrint(chunk: CompiledChunk, mergeValues: string[]): string {
  let print = `|${chunk.documentId}@${chunk.version}:${chunk.locale ?? ''}`;
  for (const value of mergeValues) print += `|=${JSON.stringify(value)}`;
  return print;
}

/** Whether a merge value is the reader's own: read from their profile (or an app's enricher). */
function readersOwn(field: Template['fields'][number], value: string): boolean {
  // A fallback is the author's text.
  return value !== field.fallback && !REQUEST_FIELDS.has(field.path.split('.', 1)[0]);
}

/** A variant key from what determines a body: SHA-256, 22 base64url characters. */
const hashOf = (print: string) => base64url(sha256(print)).slice(0, 22);

/**
 * Keys of recent fingerprints: a site serves the same few variants over and over, and hashing
 * costs more than looking a key up. A fingerprint holding a reader's own merge values (their name,
 * their company; not an author's fallback, not a UTM campaign) is hashed every time rather than
 * kept. Emptied when full.
 */
const keys = new Map<string, string>();
const MAX_KEYS = 5000;

function keyOf(print: string): string {
  let key = keys.get(print);
  if (key === undefined) {
    key = hashOf(print);
    if (keys.size >= MAX_KEYS) keys.clear();
    keys.set(print, key);
  }
  return key;
}

/**
 * The variant key hashes what determines the body: the asset version, locale, format, per slot
 * the chosen chunks with their versions and the merge values filled in, and the experiment
 * variants served (a holdout answer's `meta` differs from its variant's). Equal keys, equal bodies,
 * so it is computed before rendering: a body already rendered for the key can be served as it is.
 * `readerValues`: whether a merge value is the reader's own (from their profile or an app's
 * enricher: their name, their company): such a body is theirs alone, and is not kept.
 * `fieldsRead`: the top-level context fields the merge fields read, for `Vary`.
 */
export function assemblyVariant(
  asset: CompiledAsset,
  resolution: Resolution,
  format: OutputFormat,
  ctx: Context
): { key: string; readerValues: boolean; fieldsRead: Set<string> } {
  let print = `${asset.documentId}@${asset.version}|${asset.locale ?? ''}|${formatName(format)}`;
  // Every text template holds the body's merge fields in document order, as the json body (and
  // the blocks an app format renders) do.
  const templateFormat = typeof format === 'string' && format !== 'json' ? format : 'text';
  let merged = false;
  const fieldsRead = new Set<string>();
  for (const slot of resolution.slots) {
    print += `|slot:${slot.key}`;
    for (const chunk of slot.chunks) {
      const template = templateFor(chunk, templateFormat);
      addFieldsRead(template, fieldsRead);
      const values = mergeValuesOf(template, ctx);
      if (values.some((value, i) => readersOwn(template.fields[i], value))) merged = true;
      print += chunkPrint(chunk, values);
    }
  }
  for (const e of resolution.experiments) {
    print += `|exp:${e.key}=${e.variant}${e.holdout ? ':holdout' : ''}`;
  }
  return { key: merged ? hashOf(print) : keyOf(print), readerValues: merged, fieldsRead };
}

export function assemblyKey(
  asset: CompiledAsset,
  resolution: Resolution,
  format: OutputFormat,
  ctx: Context
): string {
  return assemblyVariant(asset, resolution, format, ctx).key;
}

/** Renders the chosen chunks of every slot in `format`, merge fields filled from `ctx`. */
export function renderAssembly(
  resolution: Resolution,
  format: OutputFormat,
  ctx: Context
): Assembly['slots'] {
  return resolution.slots.map((slot) => ({
    key: slot.key,
    chunks: slot.chunks.map((chunk) => renderChunk(chunk, format, ctx).chunk),
  }));
}

export function deliverAssembly(
  asset: CompiledAsset,
  resolution: Resolution,
  format: OutputFormat,
  ctx: Context
): Assembly {
  return {
    slots: renderAssembly(resolution, format, ctx),
    variantKey: assemblyKey(asset, resolution, format, ctx),
  };
}

/** One chunk for the chunk route; `fieldsRead`: the context fields its merge fields read. */
export function deliverChunk(chunk: CompiledChunk, format: OutputFormat, ctx: Context) {
  const rendered = renderChunk(chunk, format, ctx);
  const variantKey = hashOf(formatName(format) + chunkPrint(chunk, rendered.mergeValues));
  const fieldsRead = new Set<string>();
  // Every text template holds the body's merge fields, whatever the format.
  addFieldsRead(templateFor(chunk, 'text'), fieldsRead);
  return { chunk: rendered.chunk, variantKey, fieldsRead };
}
