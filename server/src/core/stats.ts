/**
 * Experiment statistics, frequentist: per variant a conversion rate with a 95% Wilson score
 * interval; against the control, the relative lift and a two-sided two-proportion z-test (pooled
 * standard error); a sample-ratio-mismatch check, a chi-square goodness-of-fit test of the
 * impressions against the weights. Plain numbers in, plain numbers out.
 */

/** z for a two-sided 95% interval. */
const Z95 = 1.959963984540054;

/** Impressions each variant needs before the page draws conclusions. */
export const MIN_IMPRESSIONS = 100;

/** p-value under which the split is said not to match the weights. */
export const SRM_THRESHOLD = 0.001;

/** erfc with fractional error below 1.2e-7 everywhere (Numerical Recipes, `erfcc`). */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t *
                              (-1.13520398 +
                                t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))))
    );
  return x >= 0 ? r : 2 - r;
}

/** P(|Z| >= |z|) for a standard normal Z. */
export function twoSidedNormalP(z: number): number {
  return Math.min(1, erfc(Math.abs(z) / Math.SQRT2));
}

function logGamma(x: number): number {
  // Lanczos approximation (g = 7, n = 9).
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
    -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
    1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const y = x - 1;
  let a = c[0];
  const t = y + 7.5;
  for (let i = 1; i < 9; i += 1) a += c[i] / (y + i);
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(a);
}

/** The regularized upper incomplete gamma Q(a, x) (Numerical Recipes `gammq`). */
function upperGamma(a: number, x: number): number {
  if (x <= 0) return 1;
  const lead = -x + a * Math.log(x) - logGamma(a);
  if (x < a + 1) {
    let sum = 1 / a;
    let term = sum;
    for (let n = 1; n < 1000; n += 1) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-15) break;
    }
    return Math.max(0, 1 - sum * Math.exp(lead));
  }
  // Continued fraction, modified Lentz.
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 1000; i += 1) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return Math.exp(lead) * h;
}

/** P(X >= statistic) for X chi-square distributed with `df` degrees of freedom. */
export function chiSquareP(statistic: number, df: number): number {
  return upperGamma(df / 2, statistic / 2);
}

/** The 95% Wilson score interval of `successes` out of `trials`. */
export function wilsonInterval(successes: number, trials: number): [number, number] {
  if (trials <= 0) return [0, 1];
  const p = successes / trials;
  const z2 = Z95 * Z95;
  const denominator = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denominator;
  const half = (Z95 * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials))) / denominator;
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/** Two-sided two-proportion z-test with the pooled proportion: z of b against a, and p. */
export function twoProportionZTest(
  a: { successes: number; trials: number },
  b: { successes: number; trials: number }
): { z: number; pValue: number } | null {
  if (a.trials <= 0 || b.trials <= 0) return null;
  const pooled = (a.successes + b.successes) / (a.trials + b.trials);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / a.trials + 1 / b.trials));
  if (se === 0) return null;
  const z = (b.successes / b.trials - a.successes / a.trials) / se;
  return { z, pValue: twoSidedNormalP(z) };
}

/** Chi-square goodness of fit of observed counts against expected shares (any scale). */
export function sampleRatioTest(observed: number[], weights: number[]) {
  const total = observed.reduce((s, o) => s + o, 0);
  const weightSum = weights.reduce((s, w) => s + w, 0);
  if (observed.length < 2 || total <= 0 || weightSum <= 0) return null;
  let statistic = 0;
  for (let i = 0; i < observed.length; i += 1) {
    const expected = (total * weights[i]) / weightSum;
    if (expected > 0) statistic += (observed[i] - expected) ** 2 / expected;
    else if (observed[i] > 0) statistic = Infinity;
  }
  const pValue = Number.isFinite(statistic) ? chiSquareP(statistic, observed.length - 1) : 0;
  return { statistic, pValue, mismatch: pValue < SRM_THRESHOLD };
}

export interface VariantCounts {
  id: string;
  weight: number;
  impressions: number;
  conversions: number;
}

export interface VariantResult extends VariantCounts {
  control: boolean;
  rate: number | null;
  interval: [number, number] | null;
  /** (rate - control rate) / control rate; null for the control or without data. */
  lift: number | null;
  z: number | null;
  pValue: number | null;
  significant: boolean;
}

export interface ExperimentResult {
  variants: VariantResult[];
  enoughData: boolean;
  sampleRatio: { statistic: number; pValue: number; mismatch: boolean } | null;
}

/** Results of one experiment; the first variant is the control. */
export function experimentResult(variants: VariantCounts[], alpha = 0.05): ExperimentResult {
  const control = variants[0];
  const results = variants.map((variant, index): VariantResult => {
    const rate = variant.impressions > 0 ? variant.conversions / variant.impressions : null;
    const base: VariantResult = {
      ...variant,
      control: index === 0,
      rate,
      interval:
        variant.impressions > 0 ? wilsonInterval(variant.conversions, variant.impressions) : null,
      lift: null,
      z: null,
      pValue: null,
      significant: false,
    };
    if (index === 0 || !control || rate === null || control.impressions <= 0) return base;
    const controlRate = control.conversions / control.impressions;
    if (controlRate > 0) base.lift = (rate - controlRate) / controlRate;
    const test = twoProportionZTest(
      { successes: control.conversions, trials: control.impressions },
      { successes: variant.conversions, trials: variant.impressions }
    );
    if (test) {
      base.z = test.z;
      base.pValue = test.pValue;
      base.significant = test.pValue < alpha;
    }
    return base;
  });
  return {
    variants: results,
    enoughData: variants.length >= 2 && variants.every((v) => v.impressions >= MIN_IMPRESSIONS),
    sampleRatio: sampleRatioTest(
      variants.map((v) => v.impressions),
      variants.map((v) => v.weight)
    ),
  };
}
