/**
 * Merge fields, `{{traits.firstName|there}}`: finding them in editor text and reading their value
 * from the request context. Escaping a value for an output format is the renderer's job.
 */
import type { Context } from './types';

export interface MergeField {
  path: string;
  fallback: string;
}

const FIELD = /\{\{\s*([A-Za-z0-9_.-]+)\s*(?:\|([^{}]*))?\}\}/g;
// Own-property reads already keep these from reaching prototypes; refusing them keeps intent plain.
const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'constructor', 'prototype']);
const CONTROL_CHARS = /[\u0000-\u0008\u000b-\u001f\u007f]/g;

/** Removes NUL and the other C0 controls but tab and newline: they have no place in content. */
export function stripControlChars(s: string): string {
  return s.replace(CONTROL_CHARS, '');
}

function isMergePath(path: string): boolean {
  return path.split('.').every((segment) => segment !== '' && !FORBIDDEN_SEGMENTS.has(segment));
}

/**
 * Splits editor text into literal strings (never empty) and merge fields, in order. Anything that
 * is not a well-formed field with an allowed path, such as a lone `{{`, stays literal text.
 */
export function parseMergeText(text: string): Array<string | MergeField> {
  const pieces: Array<string | MergeField> = [];
  let literalStart = 0;
  for (const match of text.matchAll(FIELD)) {
    if (!isMergePath(match[1])) continue;
    const start = match.index ?? 0;
    if (start > literalStart) pieces.push(text.slice(literalStart, start));
    pieces.push({ path: match[1], fallback: (match[2] ?? '').trim() });
    literalStart = start + match[0].length;
  }
  if (literalStart < text.length) pieces.push(text.slice(literalStart));
  return pieces;
}

function valueAt(ctx: Context, path: string): unknown {
  let value: unknown = ctx;
  for (const key of path.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined;
    if (!Object.prototype.hasOwnProperty.call(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/**
 * The field's value from the context when it is a non-empty string, a finite number or a boolean;
 * otherwise its fallback. Unescaped: the caller escapes it for its output format.
 */
export function readMergeValue(ctx: Context, field: MergeField): string {
  const value = isMergePath(field.path) ? valueAt(ctx, field.path) : undefined;
  const usable =
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value));
  const text = usable ? stripControlChars(String(value)) : '';
  return text !== '' ? text : stripControlChars(field.fallback);
}
