/**
 * Seeing an asset as a reader would, from the admin: preview and side by side (drafts included,
 * compiled afresh, never through the delivery cache), coverage, and rules tried on a sample
 * context. Resolution and rendering are delivery's own (services/delivery.ts, core/).
 */
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';

import type { Compare, Coverage, PreviewReader } from '../../../contracts/admin';
import { UIDS } from '../content-types';
import { documents } from '../data';
import type { CompiledAsset } from '../core/assembly';
import { coverage } from '../core/coverage';
import { differingSlots, readerContext, sampleContext, withSegments } from '../core/preview';
import type { Format } from '../core/types';
import type { ContentStatus } from './content';
import { ruleErrors } from './rules';
import { getService } from '../utils';

export interface PreviewTarget {
  asset: string;
  locale?: string;
  status?: ContentStatus;
  format?: Format;
}

export default ({ strapi }: { strapi: Core.Strapi }) => {
  async function load(target: PreviewTarget) {
    const locale = await getService('delivery').resolveLocale(target.locale);
    const status = target.status ?? 'draft';
    const asset = await getService('content').assetFresh(target.asset, locale, status);
    if (!asset) {
      throw new errors.NotFoundError(
        `No ${status === 'draft' ? '' : 'published '}asset '${target.asset}'${locale ? ` in locale '${locale}'` : ''}`
      );
    }
    return { asset, locale };
  }

  async function segmentSlugs(): Promise<Set<string>> {
    const rows = await documents(strapi, UIDS.segment).findMany<{ slug: string }>({
      fields: ['slug'],
    });
    return new Set(rows.map((r) => r.slug));
  }

  async function checkReader(reader: PreviewReader, at: Array<string | number>) {
    if (reader.persona && !(await getService('content').personaSlugs()).has(reader.persona)) {
      const message = `Unknown persona '${reader.persona}'`;
      throw new errors.ValidationError(message, {
        errors: [{ path: [...at, 'persona'].map(String), message }],
      });
    }
    const known = await segmentSlugs();
    const index = (reader.segments ?? []).findIndex((s) => !known.has(s));
    if (index >= 0) {
      const message = `Unknown segment '${reader.segments![index]}'`;
      throw new errors.ValidationError(message, {
        errors: [{ path: [...at, 'segments', index].map(String), message }],
      });
    }
  }

  /** One reader's answer: the delivery API's `{ data, meta }`, with `meta.explain`. */
  function answer(
    asset: CompiledAsset,
    locale: string | null,
    reader: PreviewReader,
    format: Format
  ) {
    const now = reader.context?.now ? new Date(reader.context.now) : new Date();
    const context = readerContext(reader.context ?? {}, now, reader.persona);
    if (locale) context.locale = locale;
    const forced = reader.segments ?? [];
    const { data, meta } = getService('delivery').preview(
      withSegments(asset, forced),
      context,
      format,
      now.getTime(),
      reader.persona ?? null
    );
    const { explain } = meta;
    // delivery.preview always resolves with explain: the admin shows why each candidate won.
    if (!explain) throw new Error('The preview resolved without explain');
    return {
      data,
      meta: {
        ...meta,
        segments: [...new Set([...forced, ...meta.segments])],
        explain: { ...explain, forcedSegments: forced },
      },
    };
  }

  return {
    async preview(target: PreviewTarget & { reader: PreviewReader }) {
      await checkReader(target.reader, ['reader']);
      const { asset, locale } = await load(target);
      return answer(asset, locale, target.reader, target.format ?? 'json');
    },

    async compare(
      target: PreviewTarget & { readers: PreviewReader[] }
    ): Promise<Compare.Response['data']> {
      for (const [i, reader] of target.readers.entries()) await checkReader(reader, ['readers', i]);
      const { asset, locale } = await load(target);
      const answers = target.readers.map((reader, i) => ({
        label:
          reader.label ??
          ([reader.persona, ...(reader.segments ?? [])].filter(Boolean).join(' + ') ||
            `Reader ${i + 1}`),
        ...answer(asset, locale, reader, target.format ?? 'json'),
      }));
      return { readers: answers, differingSlots: differingSlots(answers.map((a) => a.data)) };
    },

    async coverage(target: PreviewTarget): Promise<Coverage.Response['data']> {
      const { asset } = await load(target);
      const segments = await documents(strapi, UIDS.segment).findMany<{
        slug: string;
        rule: unknown;
      }>({ fields: ['slug', 'rule'] });
      const personas = [...(await getService('content').personaSlugs())].sort();
      const rules = new Map(segments.map((s) => [s.slug, s.rule]));
      return coverage(asset, personas, rules, Date.now()) as Coverage.Response['data'];
    },

    validateRule(rule: unknown) {
      const errors = ruleErrors(getService('rules').validate(rule));
      return { valid: errors.length === 0, errors };
    },

    /** Whether `rule` matches a sample context, given as a reader and as raw context fields. */
    testRule(rule: unknown, sample: Record<string, unknown>) {
      getService('rules').assertValid(rule);
      const now = typeof sample.now === 'string' ? new Date(sample.now) : new Date();
      return {
        matches: getService('rules').compile(rule).test(sampleContext(sample, now), now.getTime()),
      };
    },
  };
};
