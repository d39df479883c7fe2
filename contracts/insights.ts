/**
 * The insights admin API: measurement of an asset's experiment slots and what the page charts.
 * Served under `/mosaic` like the rest of contracts/admin.ts, shared by the server, the admin and
 * the tests.
 */

/** One daily rollup row: counts for a day, slot, variant, matched segments and persona. */
export interface InsightsRow {
  day: string; // YYYY-MM-DD (UTC)
  slot: string;
  /** The candidate's documentId, or `holdout` for visitors kept out of the test. */
  variant: string;
  /** The matched segment slugs, sorted and comma-joined; empty when none matched. */
  segments: string;
  /** The persona slug, empty when none. */
  persona: string;
  impressions: number;
  conversions: number;
  value: number;
}

export interface InsightsVariant {
  /** The candidate's documentId (or `holdout`). */
  id: string;
  slug: string | null;
  title: string | null;
  /** The first candidate of the slot: the one the others are compared to. */
  control: boolean;
  /** The weight the split is checked against (1 when the editor set none). */
  weight: number;
  /** False for a variant that was measured but is no longer among the slot's candidates. */
  current: boolean;
  impressions: number;
  conversions: number;
  value: number;
  /** conversions / impressions; null without impressions. */
  rate: number | null;
  /** 95% Wilson score interval of the rate. */
  interval: [number, number] | null;
  /** (rate − control rate) / control rate. */
  lift: number | null;
  /** Two-sided two-proportion z-test against the control (pooled standard error). */
  z: number | null;
  pValue: number | null;
  significant: boolean;
}

export interface InsightsSlot {
  key: string;
  mode: 'first' | 'best' | 'all' | 'experiment';
  /** Whether the slot is an experiment now (a promoted one keeps its history). */
  running: boolean;
  holdout: number;
  /** Experiment arms, control first. */
  variants: InsightsVariant[];
  /** Visitors kept out of the test on the control, when there is a holdout. */
  holdoutGroup: { impressions: number; conversions: number; rate: number | null } | null;
  /** False until every arm has the minimum sample (`minImpressions`). */
  enoughData: boolean;
  minImpressions: number;
  /** Chi-square test of the arms' impressions against their weights; mismatch when p < 0.001. */
  sampleRatio: { statistic: number; pValue: number; mismatch: boolean } | null;
  /** The arm with the best rate that beats the control significantly, if any. */
  winner: string | null;
}

/**
 * GET /mosaic/insights/:documentId?from=&to=&goal=&format= (read). `from`/`to`: YYYY-MM-DD,
 * default the last 30 days; `goal`: count only conversions with this goal; `format=csv`: the rows
 * as CSV (also GET /mosaic/insights/:documentId/export).
 */
export declare namespace GetInsights {
  export interface Request {
    params: { documentId: string };
    query: { from?: string; to?: string; goal?: string; format?: 'json' | 'csv' };
  }
  export interface Response {
    data: {
      asset: { documentId: string; slug: string; title: string };
      from: string;
      to: string;
      goal: string | null;
      totals: { impressions: number; conversions: number };
      slots: InsightsSlot[];
      rows: InsightsRow[];
    };
  }
}

/**
 * POST /mosaic/insights/:documentId/slots/:slotKey/promote?locale= (edit): ends the
 * experiment by moving `variant` to the first candidate and setting the slot's mode to `first`;
 * the draft is saved and published.
 */
export declare namespace PromoteVariant {
  export interface Request {
    params: { documentId: string; slotKey: string };
    body: { variant: string };
  }
  export interface Response {
    data: { asset: string; slot: string; variant: string; mode: 'first' };
  }
}
