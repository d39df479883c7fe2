/** Input validation at the edge: one zod schema per input, refused as a 400 with paths. */
import { errors } from '@strapi/utils';
import type { z } from 'zod';

export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    path: issue.path.map(String),
    message: `${issue.path.join('.') || 'input'}: ${issue.message}`,
  }));
  throw new errors.ValidationError(issues.map((i) => i.message).join('; '), { errors: issues });
}
