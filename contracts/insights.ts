/**
 * The insights admin API: measurement of an asset's experiment slots and what the page charts.
 * Served under `/mosaic` like the rest of contracts/admin.ts; inputs and answers as zod schemas,
 * the types inferred from them, shared by the server, the admin and the tests.
 */
import { z } from 'zod';

import { keySchema } from './tracking';
import { SLOT_MODES } from './wire';

const count = z.number().int();
const rate = z.number().nullable();

/** A day as `YYYY-MM-DD` that is a calendar date. */
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), 'is not a calendar date');

/** The query of GET /mosaic/insights/:documentId (and its `/export`). */
export const insightsQuery = z.object({
  from: day.optional(),
  to: day.optional(),
  /** A conversion's goal, named as events name it. */
  goal: keySchema.optional(),
  format: z.enum(['json', 'csv'], { error: "must be 'json' or 'csv'" }).optional(),
  locale: z.string().max(32).optional(),
});

/** The body of POST /mosaic/insights/:documentId/slots/:slotKey/promote. */
export const promoteBody = z.object({ variant: z.string().min(1).max(200) }).strict();

/** One daily rollup row: counts for a day, slot, variant, matched segments and persona. */
export const insightsRowSchema = z.strictObject({
  day: z.string(), // YYYY-MM-DD (UTC)
  slot: z.string(),
  /** The candidate's documentId, or `holdout` for visitors kept out of the test. */
  variant: z.string(),
  /** The matched segment slugs, sorted and comma-joined; empty when none matched. */
  segments: z.string(),
  /** The persona slug, empty when none. */
  persona: z.string(),
  impressions: count,
  conversions: count,
  value: z.number(),
});
export type InsightsRow = z.infer<typeof insightsRowSchema>;

export const insightsVariantSchema = z.strictObject({
  /** The candidate's documentId (or `holdout`). */
  id: z.string(),
  slug: z.string().nullable(),
  title: z.string().nullable(),
  /** The first candidate of the slot: the one the others are compared to. */
  control: z.boolean(),
  /** The weight the split is checked against (1 when the editor set none). */
  weight: z.number(),
  /** False for a variant that was measured but is no longer among the slot's candidates. */
  current: z.boolean(),
  impressions: count,
  conversions: count,
  value: z.number(),
  /** conversions / impressions; null without impressions. */
  rate,
  /** 95% Wilson score interval of the rate. */
  interval: z.tuple([z.number(), z.number()]).nullable(),
  /** (rate − control rate) / control rate. */
  lift: z.number().nullable(),
  /** Two-sided two-proportion z-test against the control (pooled standard error). */
  z: z.number().nullable(),
  pValue: z.number().nullable(),
  significant: z.boolean(),
});
export type InsightsVariant = z.infer<typeof insightsVariantSchema>;

export const insightsSlotSchema = z.strictObject({
  key: z.string(),
  mode: z.enum(SLOT_MODES),
  /** Whether the slot is an experiment now (a promoted one keeps its history). */
  running: z.boolean(),
  holdout: z.number(),
  /** Experiment arms, control first. */
  variants: z.array(insightsVariantSchema),
  /** Visitors kept out of the test on the control, when there is a holdout. */
  holdoutGroup: z.strictObject({ impressions: count, conversions: count, rate }).nullable(),
  /** False until every arm has the minimum sample (`minImpressions`). */
  enoughData: z.boolean(),
  minImpressions: count,
  /** Chi-square test of the arms' impressions against their weights; mismatch when p < 0.001. */
  sampleRatio: z
    .strictObject({ statistic: z.number(), pValue: z.number(), mismatch: z.boolean() })
    .nullable(),
  /** The arm with the best rate that beats the control significantly, if any. */
  winner: z.string().nullable(),
});
export type InsightsSlot = z.infer<typeof insightsSlotSchema>;

/**
 * GET /mosaic/insights/:documentId?from=&to=&goal=&format= (read). `from`/`to`: YYYY-MM-DD,
 * default the last 30 days; `goal`: count only conversions with this goal; `format=csv`: the rows
 * as CSV (also GET /mosaic/insights/:documentId/export).
 */
export const getInsightsResponse = z.strictObject({
  data: z.strictObject({
    asset: z.strictObject({ documentId: z.string(), slug: z.string(), title: z.string() }),
    from: z.string(),
    to: z.string(),
    goal: z.string().nullable(),
    totals: z.strictObject({ impressions: count, conversions: count }),
    slots: z.array(insightsSlotSchema),
    rows: z.array(insightsRowSchema),
  }),
});

/**
 * POST /mosaic/insights/:documentId/slots/:slotKey/promote?locale= (edit): ends the experiment
 * by moving `variant` to the first candidate and setting the slot's mode to `first`; the draft is
 * saved and published.
 */
export const promoteVariantResponse = z.strictObject({
  data: z.strictObject({
    asset: z.string(),
    slot: z.string(),
    variant: z.string(),
    mode: z.literal('first'),
  }),
});

export declare namespace GetInsights {
  export interface Request {
    params: { documentId: string };
    query: z.input<typeof insightsQuery>;
  }
  export type Response = z.infer<typeof getInsightsResponse>;
}

export declare namespace PromoteVariant {
  export interface Request {
    params: { documentId: string; slotKey: string };
    body: z.infer<typeof promoteBody>;
  }
  export type Response = z.infer<typeof promoteVariantResponse>;
}
