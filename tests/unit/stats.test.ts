/**
 * Experiment statistics, checked against worked examples from published sources.
 */
import fc from 'fast-check';

import {
  chiSquareP,
  experimentResult,
  MIN_IMPRESSIONS,
  sampleRatioTest,
  twoProportionZTest,
  wilsonInterval,
} from '../../server/src/core/stats';

describe('the two-proportion z-test', () => {
  // Illowsky & Dean, Introductory Statistics (OpenStax), 10.3 "Comparing Two Independent
  // Population Proportions", Example 10.8: 20 of 200 adults on medication A and 12 of 200 on
  // medication B still had hives; pooled proportion 0.08; two-tailed p-value = 0.1404.
  // http://cnx.org/content/m17043/latest/
  it('matches the OpenStax worked example (medication for hives)', () => {
    const test = twoProportionZTest(
      { successes: 20, trials: 200 },
      { successes: 12, trials: 200 }
    )!;
    expect(test.pValue).toBeCloseTo(0.1404, 4);
    // (0.06 − 0.10) / sqrt(0.08 · 0.92 · (1/200 + 1/200))
    expect(test.z).toBeCloseTo(-1.4744, 4);
  });

  it('is symmetric: swapping the groups flips z and keeps p', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5000 }),
        fc.integer({ min: 1, max: 5000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (n1, n2, r1, r2) => {
          const a = { trials: n1, successes: Math.round(n1 * r1) };
          const b = { trials: n2, successes: Math.round(n2 * r2) };
          const ab = twoProportionZTest(a, b);
          const ba = twoProportionZTest(b, a);
          if (!ab || !ba) return ab === ba;
          return Math.abs(ab.z + ba.z) < 1e-9 && Math.abs(ab.pValue - ba.pValue) < 1e-9;
        }
      )
    );
  });
});

describe('the Wilson score interval', () => {
  // Newcombe, "Two-sided confidence intervals for the single proportion: comparison of seven
  // methods", Statistics in Medicine 17 (1998) 857–872, Table II, method 3 (score, no continuity
  // correction): 81/263 → 0.2553–0.3662; 15/148 → 0.0624–0.1605; 0/20 → 0–0.1611.
  it.each([
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
  ])('%d of %d gives %d to %d as Newcombe tabulates', (x, n, low, high) => {
    const [l, h] = wilsonInterval(x, n);
    expect(l).toBeCloseTo(low, 4);
    expect(h).toBeCloseTo(high, 4);
  });

  it('holds the observed rate, stays in [0, 1], and mirrors for failures', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (n, r) => {
          const x = Math.round(n * r);
          const [l, h] = wilsonInterval(x, n);
          const [ml, mh] = wilsonInterval(n - x, n);
          return (
            l >= 0 &&
            h <= 1 &&
            l <= x / n + 1e-12 &&
            h >= x / n - 1e-12 &&
            Math.abs(l - (1 - mh)) < 1e-9 &&
            Math.abs(h - (1 - ml)) < 1e-9
          );
        }
      )
    );
  });
});

describe('the chi-square test', () => {
  // Critical values from the NIST/SEMATECH e-Handbook of Statistical Methods, 1.3.6.7.4
  // "Critical Values of the Chi-Square Distribution": upper-tail 0.05 and 0.001.
  it.each([
    [3.841, 1, 0.05],
    [5.991, 2, 0.05],
    [7.815, 3, 0.05],
    [10.828, 1, 0.001],
    [13.816, 2, 0.001],
    [16.266, 3, 0.001],
  ])('P(χ² ≥ %d, %d df) is %d', (statistic, df, p) => {
    expect(chiSquareP(statistic, df) / p).toBeCloseTo(1, 3);
  });

  it('flags a sample ratio mismatch only when the split drifts from the weights', () => {
    expect(sampleRatioTest([5030, 4970], [1, 1])!.mismatch).toBe(false);
    // χ² = 2 · 200² / 5000 = 16, p ≈ 6.3e-5 < 0.001
    const drift = sampleRatioTest([5200, 4800], [1, 1])!;
    expect(drift.statistic).toBeCloseTo(16, 9);
    expect(drift.mismatch).toBe(true);
    expect(sampleRatioTest([2500, 7500], [1, 3])!.mismatch).toBe(false);
  });
});

describe('experiment results', () => {
  it('compares each variant with the control: rate, interval, lift and significance', () => {
    const result = experimentResult([
      { id: 'control', weight: 1, impressions: 200, conversions: 20 },
      { id: 'b', weight: 1, impressions: 200, conversions: 12 },
    ]);
    const [control, b] = result.variants;
    expect(control).toMatchObject({ control: true, rate: 0.1, lift: null, pValue: null });
    expect(b.rate).toBeCloseTo(0.06, 9);
    expect(b.lift).toBeCloseTo(-0.4, 9);
    expect(b.pValue).toBeCloseTo(0.1404, 4);
    expect(b.significant).toBe(false);
    expect(result.enoughData).toBe(true);
    expect(result.sampleRatio!.mismatch).toBe(false);
  });

  it(`says there is not enough data below ${MIN_IMPRESSIONS} impressions per variant`, () => {
    const result = experimentResult([
      { id: 'a', weight: 1, impressions: 500, conversions: 50 },
      { id: 'b', weight: 1, impressions: MIN_IMPRESSIONS - 1, conversions: 30 },
    ]);
    expect(result.enoughData).toBe(false);
  });
});
