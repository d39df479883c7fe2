/**
 * Individualization over a visitor's own behaviour (a segment of one): affinity to personas and
 * topic tags from the event log, with exponential decay, and persona inference from it.
 */
import type { PersonaSource } from '../../../contracts/delivery';
import type { BehaviourEvent, Context } from './types';

/** An event as the profile log keeps it: what the chunk it concerned was tagged with. */
export interface ProfileEvent extends BehaviourEvent {
  personas?: string[];
  tags?: string[];
}

export interface AffinityOptions {
  /** Time for an interaction's weight to halve. */
  halfLifeMs: number;
  /** Raw weight at which affinity reaches 0.5; affinity = raw / (raw + saturation). */
  saturation: number;
}

/** Engagement that says something about interest: a view counts once, a click twice. */
export const ENGAGEMENT_WEIGHTS: Record<string, number> = { view: 1, click: 2 };

export type Affinity = NonNullable<Context['affinity']>;

export function affinityFrom(
  events: ProfileEvent[],
  now: number,
  options: AffinityOptions
): Affinity {
  const raw = { personas: new Map<string, number>(), tags: new Map<string, number>() };
  for (const event of events) {
    const weight = ENGAGEMENT_WEIGHTS[event.name];
    if (!weight) continue;
    const decayed = weight * 2 ** (-Math.max(0, now - event.ts) / options.halfLifeMs);
    for (const p of event.personas ?? []) raw.personas.set(p, (raw.personas.get(p) ?? 0) + decayed);
    for (const t of event.tags ?? []) raw.tags.set(t, (raw.tags.get(t) ?? 0) + decayed);
  }
  const scale = (m: Map<string, number>) =>
    Object.fromEntries([...m].map(([k, v]) => [k, round(v / (v + options.saturation))]));
  return { personas: scale(raw.personas), tags: scale(raw.tags) };
}

const round = (n: number) => Math.round(n * 1000) / 1000;

/**
 * The persona the visitor's behaviour points to: the highest affinity, when it reaches the
 * threshold and is not tied with another persona.
 */
export function inferPersona(affinity: Affinity, threshold: number): string | null {
  const ranked = Object.entries(affinity.personas ?? {}).sort((a, b) => b[1] - a[1]);
  const [top, second] = ranked;
  if (!top || top[1] < threshold) return null;
  if (second && second[1] === top[1]) return null;
  return top[0];
}

export type { PersonaSource };

/** Explicit param beats a trusted trait, which beats behaviour (PRODUCT.md, *Context*). */
export function choosePersona(
  candidates: { param?: string | null; trait?: string | null; affinity?: string | null },
  known: Set<string>
): { persona: string | null; source: PersonaSource | null } {
  for (const source of ['param', 'trait', 'affinity'] as const) {
    const slug = candidates[source];
    if (slug && known.has(slug)) return { persona: slug, source };
  }
  return { persona: null, source: null };
}
