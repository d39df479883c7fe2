/** Input validation at the edge: one zod schema per input, refused as a 400 with paths. */
import { errors } from '@strapi/utils';
import type { z } from 'zod';

/** `at`: where the input sits in the request (e.g. `['events', '2']` for one event of a batch). */
export function parseInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
  at: string[] = []
): z.output<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => {
    const path = [...at, ...issue.path.map(String)];
    return { path, message: `${path.join('.') || 'input'}: ${issue.message}` };
  });
  throw new errors.ValidationError(issues.map((i) => i.message).join('; '), { errors: issues });
}
