/**
 * Insights: an asset's experiment measurement read back from the daily rollups, with the
 * statistics of core/stats.ts, as JSON or CSV; and promoting a winner, which ends an experiment.
 */
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';

import type {
  GetInsights,
  InsightsRow,
  InsightsSlot,
  InsightsVariant,
} from '../../../contracts/insights';
import { UIDS } from '../content-types';
import type { SlotMode } from '../core/assembly';
import { experimentResult, MIN_IMPRESSIONS } from '../core/stats';
import { dayOf, HOLDOUT } from './experiments';
import type { SlotInput } from './editor';
import { documents, tableOf } from '../data';
import { getService } from '../utils';

interface CandidateDoc {
  chunk?: { documentId: string; slug?: string; title?: string } | null;
  asset?: { documentId: string; slug?: string; title?: string } | null;
  weight?: number | string | null;
}

interface SlotDoc {
  key: string;
  mode?: SlotMode | null;
  limit?: number | null;
  holdout?: number | null;
  candidates?: CandidateDoc[];
}

interface AssetDoc {
  documentId: string;
  slug: string;
  title: string;
  slots?: SlotDoc[];
}

const POPULATE = {
  slots: {
    populate: {
      candidates: {
        populate: { chunk: { fields: ['slug', 'title'] }, asset: { fields: ['slug', 'title'] } },
      },
    },
  },
} as const;

const DAY_MS = 24 * 60 * 60 * 1000;
/** The period the insights page opens on, in days. */
const DEFAULT_DAYS = 30;

const refOf = (c: CandidateDoc) => c.chunk ?? c.asset ?? null;
const weightOf = (c: CandidateDoc) =>
  c.weight === null || c.weight === undefined ? 1 : Number(c.weight);

const CSV_COLUMNS = [
  'day',
  'slot',
  'variant',
  'variantSlug',
  'segments',
  'persona',
  'impressions',
  'conversions',
  'value',
] as const;

function csvField(value: unknown): string {
  const text = String(value ?? '');
  // Quoted when needed; a leading = + - @ is defused so a spreadsheet never runs it as a formula.
  const safe = /^[=+\-@]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export default ({ strapi }: { strapi: Core.Strapi }) => {
  async function loadAsset(documentId: string, locale?: string): Promise<AssetDoc> {
    const doc = await documents(strapi, UIDS.asset).findOne<AssetDoc>({
      documentId,
      ...(locale ? { locale } : {}),
      populate: POPULATE,
    });
    if (!doc) throw new errors.NotFoundError(`No asset with documentId '${documentId}'`);
    return doc;
  }

  async function readRows(asset: string, from: string, to: string, goal: string | null) {
    const rollups = tableOf(strapi, UIDS.experimentStat);
    const c = rollups.column;
    const found = (await strapi.db
      .connection(rollups.name)
      .where(c('asset'), asset)
      .whereBetween(c('day'), [from, to])
      .whereIn(c('goal'), goal ? ['', goal] : [''])
      .orderBy([c('day'), c('slot'), c('variant')])) as Array<Record<string, unknown>>;
    const rows = new Map<string, InsightsRow>();
    for (const raw of found) {
      const row: InsightsRow = {
        day: String(raw[c('day')]),
        slot: String(raw[c('slot')]),
        variant: String(raw[c('variant')]),
        segments: String(raw[c('segments')] ?? ''),
        persona: String(raw[c('persona')] ?? ''),
        impressions: 0,
        conversions: 0,
        value: 0,
      };
      const key = [row.day, row.slot, row.variant, row.segments, row.persona].join('|');
      const into = rows.get(key) ?? row;
      rows.set(key, into);
      const rowGoal = String(raw[c('goal')] ?? '');
      // Counts come back as strings on PostgreSQL.
      if (rowGoal === '') into.impressions += Number(raw[c('impressions')] ?? 0);
      if (rowGoal === (goal ?? '')) {
        into.conversions += Number(raw[c('conversions')] ?? 0);
        into.value += Number(raw[c('value')] ?? 0);
      }
    }
    return [...rows.values()];
  }

  function slotInsights(slot: SlotDoc, rows: InsightsRow[]): InsightsSlot {
    const measured = new Map<string, { impressions: number; conversions: number; value: number }>();
    for (const row of rows) {
      const m = measured.get(row.variant) ?? { impressions: 0, conversions: 0, value: 0 };
      m.impressions += row.impressions;
      m.conversions += row.conversions;
      m.value += row.value;
      measured.set(row.variant, m);
    }
    const candidates = (slot.candidates ?? []).filter((c) => refOf(c));
    const arms = candidates.map((c) => ({ ref: refOf(c)!, weight: weightOf(c), current: true }));
    for (const id of measured.keys()) {
      if (id !== HOLDOUT && !arms.some((a) => a.ref.documentId === id)) {
        arms.push({ ref: { documentId: id }, weight: 0, current: false });
      }
    }
    const counted = arms.map((arm) => ({
      id: arm.ref.documentId,
      weight: arm.weight,
      impressions: measured.get(arm.ref.documentId)?.impressions ?? 0,
      conversions: measured.get(arm.ref.documentId)?.conversions ?? 0,
    }));
    // The split and the sample ratio are judged on the current arms; a removed arm is still
    // compared with the control, outside the test.
    const current = counted.filter((_, i) => arms[i].current);
    const result = experimentResult(current);
    const results = counted.map((arm, i) =>
      arms[i].current
        ? result.variants[i]
        : experimentResult([current[0] ?? counted[0], arm]).variants[1]
    );
    const variants: InsightsVariant[] = arms.map((arm, i) => {
      const r = results[i];
      return {
        id: arm.ref.documentId,
        slug: arm.ref.slug ?? null,
        title: arm.ref.title ?? null,
        control: i === 0,
        weight: arm.weight,
        current: arm.current,
        impressions: r.impressions,
        conversions: r.conversions,
        value: measured.get(arm.ref.documentId)?.value ?? 0,
        rate: r.rate,
        interval: r.interval,
        lift: r.lift,
        z: r.z,
        pValue: r.pValue,
        significant: r.significant,
      };
    });
    const holdout = measured.get(HOLDOUT);
    const trustworthy = result.enoughData && !result.sampleRatio?.mismatch;
    let winner: InsightsVariant | null = null;
    for (const v of variants.slice(1)) {
      if (!v.current || !v.significant || !(v.lift && v.lift > 0)) continue;
      if (!winner || (v.rate ?? 0) > (winner.rate ?? 0)) winner = v;
    }
    return {
      key: slot.key,
      mode: slot.mode ?? 'first',
      running: slot.mode === 'experiment',
      holdout: slot.holdout ?? 0,
      variants,
      holdoutGroup: holdout
        ? {
            impressions: holdout.impressions,
            conversions: holdout.conversions,
            rate: holdout.impressions ? holdout.conversions / holdout.impressions : null,
          }
        : null,
      enoughData: result.enoughData,
      minImpressions: MIN_IMPRESSIONS,
      sampleRatio: result.sampleRatio,
      winner: trustworthy && winner ? winner.id : null,
    };
  }

  return {
    /**
     * An asset's results over a period of days; without `to`, up to `now`'s day, and without
     * `from`, the `DEFAULT_DAYS` ending on `to`.
     */
    async report(
      documentId: string,
      period: { from?: string; to?: string; goal: string | null },
      now: number
    ): Promise<GetInsights.Response['data']> {
      const to = period.to ?? dayOf(now);
      const from =
        period.from ?? dayOf(Date.parse(`${to}T00:00:00Z`) - (DEFAULT_DAYS - 1) * DAY_MS);
      if (from > to) {
        const message = `'from' (${from}) is after 'to' (${to})`;
        throw new errors.ValidationError(message, { errors: [{ path: ['from'], message }] });
      }
      const range = { from, to, goal: period.goal };
      const asset = await loadAsset(documentId);
      const rows = await readRows(documentId, range.from, range.to, range.goal);
      const slots = (asset.slots ?? [])
        .filter((slot) => slot.mode === 'experiment' || rows.some((r) => r.slot === slot.key))
        .map((slot) =>
          slotInsights(
            slot,
            rows.filter((r) => r.slot === slot.key)
          )
        );
      return {
        asset: { documentId: asset.documentId, slug: asset.slug, title: asset.title },
        from: range.from,
        to: range.to,
        goal: range.goal,
        totals: {
          impressions: rows.reduce((s, r) => s + r.impressions, 0),
          conversions: rows.reduce((s, r) => s + r.conversions, 0),
        },
        slots,
        rows,
      };
    },

    /** The report's rows as CSV, one line per day, slot, variant, segments and persona. */
    toCsv(report: GetInsights.Response['data']): string {
      const slugs = new Map<string, string>();
      for (const slot of report.slots) for (const v of slot.variants) slugs.set(v.id, v.slug ?? '');
      const lines = [CSV_COLUMNS.join(',')];
      for (const row of report.rows) {
        const values = { ...row, variantSlug: slugs.get(row.variant) ?? '' };
        lines.push(CSV_COLUMNS.map((column) => csvField(values[column])).join(','));
      }
      return `${lines.join('\r\n')}\r\n`;
    },

    /**
     * Ends an experiment: `variant` becomes the slot's first candidate and the slot serves it to
     * everyone (`first`). The draft is saved and published.
     */
    async promote(documentId: string, slotKey: string, variant: string, locale?: string) {
      const asset = await loadAsset(documentId, locale);
      const slots = asset.slots ?? [];
      const target = slots.find((s) => s.key === slotKey);
      if (!target) {
        throw new errors.NotFoundError(`Asset '${asset.slug}' has no slot '${slotKey}'`);
      }
      const candidates = target.candidates ?? [];
      const index = candidates.findIndex((c) => refOf(c)?.documentId === variant);
      if (index < 0) {
        const message = `'${variant}' is not a candidate of slot '${slotKey}'`;
        throw new errors.ValidationError(message, { errors: [{ path: ['variant'], message }] });
      }
      // Through the editor's save, which keeps what other features store on slots and candidates.
      const saved: SlotInput[] = slots.map((slot) => {
        let list = slot.candidates ?? [];
        if (slot === target) list = [list[index], ...list.filter((_, i) => i !== index)];
        return {
          key: slot.key,
          mode: slot === target ? 'first' : (slot.mode ?? 'first'),
          limit: slot.limit ?? null,
          holdout: slot === target ? null : (slot.holdout ?? null),
          candidates: list.flatMap((c) => {
            const type = c.chunk ? 'chunk' : c.asset ? 'asset' : null;
            const ref = refOf(c);
            if (!type || !ref) return [];
            return [
              {
                type,
                documentId: ref.documentId,
                weight: c.weight == null ? null : Number(c.weight),
              },
            ];
          }),
        };
      });
      const editor = getService('editor');
      await editor.saveAsset(documentId, locale, { slots: saved });
      await editor.publishAsset(documentId, locale);
      return { asset: documentId, slot: slotKey, variant, mode: 'first' as const };
    },
  };
};
