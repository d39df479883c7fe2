/**
 * Pieces every contract uses: bounded text, time zones, and Strapi's error answer. Only zod is
 * imported, so that the contracts stay free of the server.
 */
import { z } from 'zod';

/** A string of at most `max` characters, refused with a message that says the limit. */
export const text = (max: number) => z.string().max(max, `must be at most ${max} characters`);

/** Zones already accepted: checking one builds a formatter, which costs more than a request. */
const knownZones = new Set<string>();

/** Whether `tz` names an IANA time zone the runtime knows (`europe/berlin` too: any spelling). */
export function isValidTimeZone(tz: string): boolean {
  if (knownZones.has(tz)) return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
  } catch {
    return false;
  }
  // Zones are a closed set, their spellings are not: the set is bounded all the same.
  if (knownZones.size >= 2000) knownZones.clear();
  knownZones.add(tz);
  return true;
}

/** `{ status, name, message, details }`, the error of every refused request (Strapi's shape). */
export const apiErrorSchema = z.strictObject({
  status: z.number().int(),
  name: z.string(),
  message: z.string(),
  // Strapi leaves it out for errors raised outside its error classes (its body parser's).
  details: z.record(z.string(), z.unknown()).optional(),
});
export type ApiError = z.infer<typeof apiErrorSchema>;

/** `{ data: null, error }`: what a 4xx or 5xx answer holds, on the content API and the admin API. */
export const errorResponse = z.strictObject({ data: z.null(), error: apiErrorSchema });
export type ErrorResponse = z.infer<typeof errorResponse>;
