/**
 * Pieces every contract uses: bounded text, time zones (./zones.ts), and Strapi's error answer.
 * Only zod and the contracts themselves are imported, so that they stay free of the server.
 */
import { z } from 'zod';

/** A string of at most `max` characters, refused with a message that says the limit. */
export const text = (max: number) => z.string().max(max, `must be at most ${max} characters`);

export { isValidTimeZone } from './zones';

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
