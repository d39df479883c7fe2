/**
 * Turns chosen chunks into what the delivery API returns: content rendered in the requested format
 * with merge fields filled, and the variant key that fingerprints the result.
 */
import { createHash } from 'node:crypto';

import type { CompiledAsset, CompiledChunk, Resolution } from './assembly';
import { readMergeValue } from './merge';
import { compileTemplate, fillBlocks, fillTemplate, type Template } from './render';
import type { Context, Format } from './types';

export interface DeliveredChunk {
  documentId: string;
  slug: string;
  title: string;
  locale: string | null;
  content: unknown;
  [extra: string]: unknown;
}

export interface RenderedChunk {
  chunk: DeliveredChunk;
  /** The merge values that went into the content, in order: part of the variant key. */
  mergeValues: string[];
}

function templateFor(chunk: CompiledChunk, format: Template['format']): Template {
  let template = chunk.templates[format];
  if (!template) {
    template = compileTemplate(chunk.body, format);
    chunk.templates[format] = template;
  }
  return template;
}

export function renderChunk(chunk: CompiledChunk, format: Format, ctx: Context): RenderedChunk {
  let content: unknown;
  let mergeValues: string[];
  if (format === 'json') {
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

function mergeValuesOf(template: Template, ctx: Context): string[] {
  return template.fields.map((field) => readMergeValue(ctx, field));
}

export interface Assembly {
  slots: Array<{ key: string; chunks: DeliveredChunk[] }>;
  variantKey: string;
}

/** Fingerprints a chosen chunk: its identity, version and the merge values filled into it. */
function hashChunk(
  hash: ReturnType<typeof createHash>,
  chunk: CompiledChunk,
  mergeValues: string[]
) {
  hash.update(`|${chunk.documentId}@${chunk.version}:${chunk.locale ?? ''}`);
  for (const value of mergeValues) hash.update(`|=${JSON.stringify(value)}`);
}

/**
 * The variant key hashes what determines the body: the asset version, locale, format, per slot
 * the chosen chunks with their versions and the merge values filled in, and the experiment
 * variants served (a holdout answer's `meta` differs from its variant's). Equal keys, equal bodies.
 */
export function deliverAssembly(
  asset: CompiledAsset,
  resolution: Resolution,
  format: Format,
  ctx: Context
): Assembly {
  const hash = createHash('sha256');
  hash.update(`${asset.documentId}@${asset.version}|${asset.locale ?? ''}|${format}`);
  const slots = resolution.slots.map((slot) => {
    hash.update(`|slot:${slot.key}`);
    return {
      key: slot.key,
      chunks: slot.chunks.map((chunk) => {
        const rendered = renderChunk(chunk, format, ctx);
        hashChunk(hash, chunk, rendered.mergeValues);
        return rendered.chunk;
      }),
    };
  });
  for (const e of resolution.experiments) {
    hash.update(`|exp:${e.key}=${e.variant}${e.holdout ? ':holdout' : ''}`);
  }
  return { slots, variantKey: hash.digest('base64url').slice(0, 22) };
}

export function deliverChunk(chunk: CompiledChunk, format: Format, ctx: Context) {
  const rendered = renderChunk(chunk, format, ctx);
  const hash = createHash('sha256');
  hash.update(format);
  hashChunk(hash, chunk, rendered.mergeValues);
  return { chunk: rendered.chunk, variantKey: hash.digest('base64url').slice(0, 22) };
}
