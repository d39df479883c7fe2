/**
 * Experiment bucketing: which variant of an experiment a visitor sees, decided from the experiment
 * key and the visitor id alone, so assignment is sticky with no storage.
 *
 * The hash is MurmurHash3 (x86, 32-bit, seed 0) over the UTF-8 bytes of
 * `experimentKey|visitorId|variantId`, the family GrowthBook, Unleash and Optimizely use. Variants
 * are chosen by weighted rendezvous hashing: each variant scores `-weight / ln(u)`, with `u` the
 * hash mapped into (0, 1), and the highest score wins. Each variant's score depends only on the
 * visitor and that variant, so adding a variant only takes visitors to the new one, and changing a
 * weight only moves visitors to or from the variant whose weight changed: the least movement any
 * split can achieve. The holdout is decided by a separate hash of `experimentKey|holdout|visitorId`.
 */

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

const encoder = new TextEncoder();
/** Reused between calls: bucketing runs on every resolve of an experiment slot. */
let scratch = new Uint8Array(256);

/** MurmurHash3 x86 32-bit of a string's UTF-8 bytes; an unsigned 32-bit integer. */
export function murmur3(text: string, seed = 0): number {
  if (scratch.length < text.length * 3) scratch = new Uint8Array(text.length * 3);
  const length = encoder.encodeInto(text, scratch).written;
  const bytes = scratch;
  const blocks = length >> 2;
  let h = seed >>> 0;
  for (let i = 0; i < blocks; i += 1) {
    const at = i << 2;
    let k = bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24);
    k = Math.imul(k, C1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, C2);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  const tail = blocks << 2;
  let k = 0;
  switch (length & 3) {
    case 3:
      k ^= bytes[tail + 2] << 16;
    // falls through
    case 2:
      k ^= bytes[tail + 1] << 8;
    // falls through
    case 1:
      k ^= bytes[tail];
      k = Math.imul(k, C1);
      k = (k << 15) | (k >>> 17);
      k = Math.imul(k, C2);
      h ^= k;
  }
  h ^= length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A 32-bit hash mapped into the open interval (0, 1): never 0, never 1. */
export function unitInterval(hash: number): number {
  return (hash + 0.5) / 4294967296;
}

export interface Variant {
  id: string;
  /** Relative weight; `null` counts as 1 (equal split). 0 pauses the variant. */
  weight: number | null;
}

/** The index of the variant a visitor gets, or null when no variant has a positive weight. */
export function chooseVariant(
  experimentKey: string,
  visitorId: string,
  variants: readonly Variant[]
): number | null {
  let best: number | null = null;
  let bestScore = -Infinity;
  variants.forEach((variant, index) => {
    const weight = variant.weight ?? 1;
    if (!(weight > 0)) return;
    const u = unitInterval(murmur3(`${experimentKey}|${visitorId}|${variant.id}`));
    const score = -weight / Math.log(u);
    if (score > bestScore) {
      bestScore = score;
      best = index;
    }
  });
  return best;
}

/** Whether a visitor falls in the experiment's holdout of `percent` (0–100) of visitors. */
export function inHoldout(experimentKey: string, visitorId: string, percent: number): boolean {
  if (!(percent > 0)) return false;
  return unitInterval(murmur3(`${experimentKey}|holdout|${visitorId}`)) * 100 < percent;
}

/** The key an experiment slot is known by: stable across edits of other slots and candidates. */
export function experimentKeyOf(assetDocumentId: string, slotKey: string): string {
  return `${assetDocumentId}:${slotKey}`;
}
