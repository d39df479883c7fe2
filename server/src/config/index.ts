/**
 * The plugin's configuration (`config/plugins` of the app, key `mosaic.config`), with defaults,
 * validated when Strapi loads it.
 */
import { z } from 'zod';

const headerName = z
  .string()
  .regex(/^[A-Za-z0-9-]+$/, 'must be an HTTP header name')
  .transform((name) => name.toLowerCase());

export const configSchema = z
  .object({
    /** Whether `?persona=` may choose the persona (turn off when personas must be earned). */
    allowPersonaParam: z.boolean(),
    /** Trusted headers a CDN or proxy sets with the visitor's location. */
    geoHeaders: z
      .object({ country: headerName, region: headerName, city: headerName })
      .partial()
      .strict(),
    cache: z
      .object({
        /** `Cache-Control: max-age` of public answers, in seconds. */
        maxAge: z.number().int().min(0),
        /** Compiled assets and chunks kept in memory. */
        maxEntries: z.number().int().min(1),
      })
      .strict(),
    /** How deep assets may nest inside assets. */
    maxDepth: z.number().int().min(1).max(20),
  })
  .strict();

export type MosaicConfig = z.infer<typeof configSchema>;

export default {
  default: {
    allowPersonaParam: true,
    geoHeaders: { country: 'cf-ipcountry' },
    cache: { maxAge: 60, maxEntries: 1000 },
    maxDepth: 5,
  } satisfies z.input<typeof configSchema>,
  validator(config: unknown) {
    const result = configSchema.safeParse(config);
    if (!result.success) {
      const details = result.error.issues
        .map((issue) => `mosaic.${issue.path.join('.')}: ${issue.message}`)
        .join('; ');
      throw new Error(`Invalid Mosaic configuration: ${details}`);
    }
  },
};
