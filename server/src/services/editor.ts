/**
 * What the admin's editors work on, through the document service: assets as the builder shows them
 * (draft versions, with their candidates' tags), saving and publishing them, the library the picker
 * searches, the taxonomy the filters offer, segments, and where a chunk or an asset is used.
 */
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import kebabCase from 'lodash/kebabCase';
import lowerCase from 'lodash/lowerCase';
import upperFirst from 'lodash/upperFirst';

import type {
  ContextFieldInfo,
  DocumentStatus,
  EditorAsset,
  EditorCandidate,
  EditorSlot,
  GetTaxonomy,
  LibraryItem,
  SaveSegment,
  SearchLibrary,
  SegmentUses,
  WhereUsed,
} from '../../../contracts/admin';
import { UIDS } from '../content-types';
import { documents } from '../data';
import { excerpt } from '../core/excerpt';
import { cycleThrough, whereUsed } from '../core/nesting';
import { FORMATS } from '../core/types';
import { declaredTraits } from '../traits';
import { getService } from '../utils';

interface Ref {
  documentId: string;
  slug: string;
  title?: string;
  name?: string;
}

interface ChunkRow extends Ref {
  title: string;
  locale?: string | null;
  updatedAt: string | number | Date;
  body?: unknown;
  personas?: Ref[];
  segments?: Ref[];
  tags?: Ref[];
}

type Row = Record<string, unknown>;

interface CandidateRow extends Row {
  chunk?: ChunkRow | null;
  asset?: Ref | null;
  weight?: number | string | null;
}

interface SlotRow extends Row {
  key: string;
  mode?: EditorSlot['mode'] | null;
  limit?: number | null;
  holdout?: number | null;
  candidates?: CandidateRow[];
}

interface AssetRow extends Ref {
  title: string;
  kind?: string | null;
  locale?: string | null;
  updatedAt: string | number | Date;
  slots?: SlotRow[];
}

/** A save's slots once validated: candidates reduced to what is stored. */
export interface SlotInput {
  key: string;
  mode: EditorSlot['mode'];
  limit?: number | null;
  holdout?: number | null;
  candidates: Array<{ type: 'chunk' | 'asset'; documentId: string; weight?: number | null }>;
}

const TAGS_POPULATE = {
  personas: { fields: ['slug'] },
  segments: { fields: ['slug'] },
  tags: { fields: ['slug'] },
} as const;

const EDITOR_POPULATE = {
  slots: {
    populate: {
      candidates: {
        populate: {
          chunk: { fields: ['slug', 'title'], populate: TAGS_POPULATE },
          asset: { fields: ['slug', 'title'] },
        },
      },
    },
  },
} as const;

/** Only the ids a slot names: enough for nesting and where-used. */
const REFS_POPULATE = {
  slots: {
    populate: {
      candidates: { populate: { chunk: { fields: ['slug'] }, asset: { fields: ['slug'] } } },
    },
  },
} as const;

/** Slot and candidate fields the builder edits; any other (another feature's) is kept on save. */
const SLOT_OWN_FIELDS = new Set(['id', '__component', 'key', 'mode', 'limit', 'candidates']);
const CANDIDATE_OWN_FIELDS = new Set(['id', '__component', 'chunk', 'asset', 'weight']);

const slugsOf = (refs: Ref[] | undefined) => (refs ?? []).map((r) => r.slug);
const othersOf = (row: Row, own: Set<string>) =>
  Object.fromEntries(Object.entries(row).filter(([field]) => !own.has(field)));
/** Datetimes come back as strings, numbers or Dates depending on the database. */
const timeOf = (value: string | number | Date) =>
  value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Date.parse(value);

function validationError(message: string, path: Array<string | number>, extra: Row = {}): never {
  throw new errors.ValidationError(message, {
    errors: [{ path: path.map(String), message }],
    ...extra,
  });
}

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const docs = (uid: (typeof UIDS)[keyof typeof UIDS]) => documents(strapi, uid);

  const localeOf = (requested: string | undefined) =>
    getService('delivery').resolveLocale(requested);

  /** draft / published / modified, as the Content Manager tells them, for these drafts. */
  async function statusesOf(
    uid: typeof UIDS.chunk | typeof UIDS.asset,
    drafts: Array<{ documentId: string; updatedAt: string | number | Date }>,
    locale: string | null
  ): Promise<Map<string, DocumentStatus>> {
    const published = await docs(uid).findMany<{
      documentId: string;
      updatedAt: string | number | Date;
    }>({
      status: 'published',
      ...(locale ? { locale } : {}),
      filters: { documentId: { $in: drafts.map((d) => d.documentId) } },
      fields: ['updatedAt'],
    });
    const publishedAt = new Map(published.map((p) => [p.documentId, timeOf(p.updatedAt)]));
    return new Map(
      drafts.map((draft) => {
        const at = publishedAt.get(draft.documentId);
        const status: DocumentStatus =
          at === undefined ? 'draft' : timeOf(draft.updatedAt) > at ? 'modified' : 'published';
        return [draft.documentId, status];
      })
    );
  }

  function editorCandidate(row: CandidateRow): EditorCandidate | null {
    const weight = row.weight === null || row.weight === undefined ? null : Number(row.weight);
    if (row.chunk) {
      return {
        type: 'chunk',
        documentId: row.chunk.documentId,
        slug: row.chunk.slug,
        title: row.chunk.title,
        personas: slugsOf(row.chunk.personas),
        segments: slugsOf(row.chunk.segments),
        tags: slugsOf(row.chunk.tags),
        weight,
      };
    }
    if (row.asset) {
      return {
        type: 'asset',
        documentId: row.asset.documentId,
        slug: row.asset.slug,
        title: row.asset.title ?? row.asset.slug,
        personas: [],
        segments: [],
        tags: [],
        weight,
      };
    }
    return null;
  }

  function editorAsset(row: AssetRow, status: DocumentStatus): EditorAsset {
    return {
      documentId: row.documentId,
      title: row.title,
      slug: row.slug,
      kind: row.kind ?? 'page',
      locale: row.locale ?? null,
      status,
      updatedAt: new Date(timeOf(row.updatedAt)).toISOString(),
      slots: (row.slots ?? []).map((slot) => ({
        key: slot.key,
        mode: slot.mode ?? 'first',
        limit: slot.limit ?? null,
        holdout: slot.holdout ?? null,
        candidates: (slot.candidates ?? [])
          .map(editorCandidate)
          .filter((c): c is EditorCandidate => c !== null),
      })),
    };
  }

  async function draftAsset(documentId: string, locale: string | null): Promise<AssetRow> {
    const row = await docs(UIDS.asset).findOne<AssetRow>({
      documentId,
      status: 'draft',
      ...(locale ? { locale } : {}),
      populate: EDITOR_POPULATE,
    });
    if (!row) {
      throw new errors.NotFoundError(
        `No asset ${documentId}${locale ? ` in locale '${locale}'` : ''}`
      );
    }
    return row;
  }

  /**
   * The draft to save over: in `locale`, or, when the asset has no version in that locale yet, a
   * blank one to be created there, named as its version in the default locale is.
   */
  async function draftToSave(documentId: string, locale: string | null) {
    try {
      return { current: await draftAsset(documentId, locale), isNew: false };
    } catch (error) {
      const { defaultLocale } = await getService('content').locales();
      if (!(error instanceof errors.NotFoundError) || !locale || locale === defaultLocale) {
        throw error;
      }
      const other = await draftAsset(documentId, defaultLocale);
      return { current: { ...other, locale, slots: [] }, isNew: true };
    }
  }

  async function getAsset(documentId: string, requestedLocale?: string): Promise<EditorAsset> {
    const locale = await localeOf(requestedLocale);
    const row = await draftAsset(documentId, locale);
    const statuses = await statusesOf(UIDS.asset, [row], locale);
    return editorAsset(row, statuses.get(row.documentId) ?? 'draft');
  }

  /** A slug for `title` no other document of `uid` has (uid fields are not unique by themselves). */
  async function freeSlug(
    uid: typeof UIDS.asset | typeof UIDS.segment,
    wanted: string | undefined,
    from: string,
    except?: string
  ) {
    const taken = async (slug: string) =>
      (await docs(uid).count({
        filters: { slug, ...(except ? { documentId: { $ne: except } } : {}) },
      })) > 0;
    if (wanted !== undefined) {
      if (await taken(wanted)) validationError(`The slug '${wanted}' is already used`, ['slug']);
      return wanted;
    }
    const base = kebabCase(from) || 'untitled';
    for (let n = 1; ; n += 1) {
      const slug = n === 1 ? base : `${base}-${n}`;
      if (!(await taken(slug))) return slug;
    }
  }

  /** Every asset's draft in `locale` with the ids its slots name. */
  async function nestingGraph(locale: string | null) {
    return docs(UIDS.asset).findMany<AssetRow>({
      status: 'draft',
      ...(locale ? { locale } : {}),
      fields: ['slug', 'title'],
      populate: REFS_POPULATE,
    });
  }

  const refsOf = (slot: SlotRow) =>
    (slot.candidates ?? [])
      .map((c) => c.chunk?.documentId ?? c.asset?.documentId)
      .filter((id): id is string => Boolean(id));

  async function checkCandidatesExist(slots: SlotInput[], locale: string | null) {
    for (const type of ['chunk', 'asset'] as const) {
      const wanted = slots.flatMap((slot, i) =>
        slot.candidates.flatMap((c, j) => (c.type === type ? [{ id: c.documentId, i, j }] : []))
      );
      if (!wanted.length) continue;
      const found = await docs(UIDS[type]).findMany<Ref>({
        status: 'draft',
        ...(locale ? { locale } : {}),
        filters: { documentId: { $in: [...new Set(wanted.map((w) => w.id))] } },
        fields: ['slug'],
      });
      const known = new Set(found.map((f) => f.documentId));
      const missing = wanted.find((w) => !known.has(w.id));
      if (missing) {
        validationError(
          `Slot '${slots[missing.i].key}': no ${type} ${missing.id}${locale ? ` in locale '${locale}'` : ''}`,
          ['slots', missing.i, 'candidates', missing.j, 'documentId']
        );
      }
    }
  }

  async function checkNoCycle(asset: AssetRow, slots: SlotInput[], locale: string | null) {
    const graph = await nestingGraph(locale);
    const slugs = new Map(graph.map((a) => [a.documentId, a.slug]));
    const nests = new Map(
      graph.map((a) => [
        a.documentId,
        (a.slots ?? []).flatMap((s) =>
          (s.candidates ?? []).flatMap((c) => (c.asset ? [c.asset.documentId] : []))
        ),
      ])
    );
    nests.set(
      asset.documentId,
      slots.flatMap((s) => s.candidates.filter((c) => c.type === 'asset').map((c) => c.documentId))
    );
    const cycle = cycleThrough(asset.documentId, (id) => nests.get(id) ?? []);
    if (!cycle) return;
    const path = cycle.map((id) => slugs.get(id) ?? id);
    const i = slots.findIndex((s) => s.candidates.some((c) => c.documentId === cycle[1]));
    const j = slots[i].candidates.findIndex((c) => c.documentId === cycle[1]);
    validationError(
      `Asset '${path[1]}' cannot be nested here: it would make a cycle, ${path.join(' → ')}`,
      ['slots', i, 'candidates', j, 'documentId'],
      { cycle: path }
    );
  }

  async function libraryPage(
    type: 'chunk' | 'asset',
    filters: Row,
    locale: string | null,
    start: number,
    limit: number
  ): Promise<LibraryItem[]> {
    if (limit <= 0) return [];
    const rows = await docs(UIDS[type]).findMany<ChunkRow>({
      status: 'draft',
      ...(locale ? { locale } : {}),
      filters,
      sort: ['title:asc', 'slug:asc'],
      start,
      limit,
      // The locale too, where there is one: the picker opens an item in its own locale.
      fields: [
        'slug',
        'title',
        'updatedAt',
        ...(type === 'chunk' ? ['body'] : []),
        ...(locale ? ['locale'] : []),
      ],
      ...(type === 'chunk' ? { populate: TAGS_POPULATE } : {}),
    });
    const statuses = await statusesOf(UIDS[type], rows, locale);
    return rows.map((row) => ({
      type,
      documentId: row.documentId,
      slug: row.slug,
      title: row.title,
      locale: row.locale ?? null,
      status: statuses.get(row.documentId) ?? 'draft',
      personas: slugsOf(row.personas),
      segments: slugsOf(row.segments),
      tags: slugsOf(row.tags),
      excerpt: type === 'chunk' ? excerpt(row.body) : '',
    }));
  }

  /** The fields a rule reads, with the group and the human name the rule builder shows. */
  function contextFields(personas: Row[], tags: Row[]): ContextFieldInfo[] {
    const field = (
      path: string,
      type: ContextFieldInfo['type'],
      group: ContextFieldInfo['group'],
      label: string
    ): ContextFieldInfo => ({ field: path, type, group, label });
    const fields: ContextFieldInfo[] = [
      field('geo.country', 'string', 'location', 'Country'),
      field('geo.region', 'string', 'location', 'Region'),
      field('geo.city', 'string', 'location', 'City'),
      field('locale', 'string', 'location', 'Language'),
      field('device.type', 'string', 'device', 'Device type'),
      field('utm.source', 'string', 'campaign', 'Campaign source (utm_source)'),
      field('utm.medium', 'string', 'campaign', 'Campaign medium (utm_medium)'),
      field('utm.campaign', 'string', 'campaign', 'Campaign name (utm_campaign)'),
      field('utm.term', 'string', 'campaign', 'Campaign term (utm_term)'),
      field('utm.content', 'string', 'campaign', 'Campaign content (utm_content)'),
      field('referrer.host', 'string', 'campaign', 'Referring site'),
      field('referrer.url', 'string', 'campaign', 'Referring page (address)'),
      field('time.hour', 'number', 'time', 'Hour of the day (0–23)'),
      field('time.weekday', 'number', 'time', 'Day of the week'),
      field('time.date', 'string', 'time', 'Date'),
      field('persona', 'string', 'behaviour', 'Persona'),
      field('visitor.known', 'boolean', 'behaviour', 'Known visitor'),
      field('visitor.new', 'boolean', 'behaviour', 'First visit'),
      field('visitor.visits', 'number', 'behaviour', 'Number of visits'),
      field('visitor.firstSeen', 'datetime', 'behaviour', 'First seen'),
      field('visitor.lastSeen', 'datetime', 'behaviour', 'Last seen'),
    ];
    for (const persona of personas) {
      const name = String(persona.name ?? persona.slug);
      fields.push(
        field(`affinity.personas.${persona.slug}`, 'number', 'behaviour', `Interest in ${name}`)
      );
    }
    for (const tag of tags) {
      const name = String(tag.name ?? tag.slug);
      fields.push(field(`affinity.tags.${tag.slug}`, 'number', 'behaviour', `Interest in ${name}`));
    }
    for (const [name, type] of Object.entries(declaredTraits(strapi))) {
      const kind =
        type === 'integer' || type === 'float'
          ? 'number'
          : type === 'boolean' || type === 'datetime'
            ? type
            : 'string';
      fields.push(field(`traits.${name}`, kind, 'traits', upperFirst(lowerCase(name))));
    }
    return fields;
  }

  return {
    async listAssets(query: { q?: string; locale?: string }) {
      const locale = await localeOf(query.locale);
      const rows = await docs(UIDS.asset).findMany<AssetRow>({
        status: 'draft',
        ...(locale ? { locale } : {}),
        ...(query.q
          ? {
              filters: {
                $or: [{ title: { $containsi: query.q } }, { slug: { $containsi: query.q } }],
              },
            }
          : {}),
        sort: ['title:asc'],
        populate: { slots: { fields: ['key'] } },
      });
      const statuses = await statusesOf(UIDS.asset, rows, locale);
      return rows.map((row) => {
        const { slots, ...asset } = editorAsset(row, statuses.get(row.documentId) ?? 'draft');
        return { ...asset, slotCount: slots.length };
      });
    },

    getAsset,

    async createAsset(body: { title: string; slug?: string; kind?: string; locale?: string }) {
      const locale = await localeOf(body.locale);
      const slug = await freeSlug(UIDS.asset, body.slug, body.title);
      const created = await docs(UIDS.asset).create({
        ...(locale ? { locale } : {}),
        data: { title: body.title, slug, ...(body.kind ? { kind: body.kind } : {}), slots: [] },
      });
      return getAsset(String(created.documentId), locale ?? undefined);
    },

    /**
     * Replaces the draft's slots. Every check runs before the one write, so a refused save leaves
     * the draft as it was. Fields other features keep on slots and candidates (matched by slot key,
     * then by candidate) are carried over.
     */
    async saveAsset(
      documentId: string,
      requestedLocale: string | undefined,
      body: { title?: string; kind?: string; slots: SlotInput[] }
    ) {
      const locale = await localeOf(requestedLocale);
      const { current, isNew } = await draftToSave(documentId, locale);
      const seen = new Map<string, number>();
      body.slots.forEach((slot, i) => {
        const first = seen.get(slot.key);
        if (first !== undefined) {
          validationError(`Slot key '${slot.key}' is used by slots ${first + 1} and ${i + 1}`, [
            'slots',
            i,
            'key',
          ]);
        }
        seen.set(slot.key, i);
      });
      await checkCandidatesExist(body.slots, locale);
      await checkNoCycle(current, body.slots, locale);

      const before = new Map((current.slots ?? []).map((slot) => [slot.key, slot]));
      const slots = body.slots.map((slot) => {
        const old = before.get(slot.key);
        const oldCandidates = old?.candidates ?? [];
        return {
          ...(old ? othersOf(old, SLOT_OWN_FIELDS) : {}),
          key: slot.key,
          mode: slot.mode,
          limit: slot.limit ?? null,
          // Not one of the builder's own fields: a client that does not send it keeps the old one.
          ...(slot.holdout !== undefined ? { holdout: slot.holdout } : {}),
          candidates: slot.candidates.map((c) => {
            const match = oldCandidates.find(
              (o) => (o[c.type] as Ref | null)?.documentId === c.documentId
            );
            return {
              ...(match ? othersOf(match, CANDIDATE_OWN_FIELDS) : {}),
              [c.type]: c.documentId,
              weight: c.weight ?? null,
            };
          }),
        };
      });
      await docs(UIDS.asset).update({
        documentId,
        ...(locale ? { locale } : {}),
        data: {
          // A new locale's version needs its required fields; an existing one keeps its own.
          ...(isNew ? { title: current.title, slug: current.slug, kind: current.kind } : {}),
          ...(body.title !== undefined ? { title: body.title } : {}),
          ...(body.kind !== undefined ? { kind: body.kind } : {}),
          slots,
        },
      });
      return getAsset(documentId, locale ?? undefined);
    },

    async publishAsset(documentId: string, requestedLocale: string | undefined) {
      const locale = await localeOf(requestedLocale);
      await draftAsset(documentId, locale);
      await docs(UIDS.asset).publish({ documentId, ...(locale ? { locale } : {}) });
      return getAsset(documentId, locale ?? undefined);
    },

    async searchLibrary(
      query: SearchLibrary.Request['query'] & { page: number; pageSize: number }
    ) {
      const locale = await localeOf(query.locale);
      const text = query.q
        ? [{ $or: [{ title: { $containsi: query.q } }, { slug: { $containsi: query.q } }] }]
        : [];
      const tagged = [
        ...(query.persona ? [{ personas: { slug: query.persona } }] : []),
        ...(query.segment ? [{ segments: { slug: query.segment } }] : []),
        ...(query.tag ? [{ tags: { slug: query.tag } }] : []),
      ];
      const chunkFilters = { $and: [...text, ...tagged] };
      const assetFilters = { $and: text };
      const types = query.type ? [query.type] : (['chunk', 'asset'] as const);
      const counts = await Promise.all(
        types.map(async (type) =>
          // Assets carry no tags of their own: a tag filter leaves none.
          type === 'asset' && tagged.length
            ? 0
            : docs(UIDS[type]).count({
                status: 'draft',
                ...(locale ? { locale } : {}),
                filters: type === 'chunk' ? chunkFilters : assetFilters,
              })
        )
      );
      // Chunks first, then assets, paginated as one list.
      const start = (query.page - 1) * query.pageSize;
      const items: LibraryItem[] = [];
      let offset = 0;
      for (const [index, type] of types.entries()) {
        const count = counts[index];
        const from = Math.max(0, start - offset);
        const take = Math.min(count - from, query.pageSize - items.length);
        if (take > 0) {
          items.push(
            ...(await libraryPage(
              type,
              type === 'chunk' ? chunkFilters : assetFilters,
              locale,
              from,
              take
            ))
          );
        }
        offset += count;
      }
      return {
        data: items,
        meta: {
          pagination: {
            page: query.page,
            pageSize: query.pageSize,
            total: counts.reduce((a, b) => a + b, 0),
          },
        },
      };
    },

    async taxonomy(): Promise<GetTaxonomy.Response['data']> {
      const [personas, segments, tags, locales, defaultLocale] = await Promise.all([
        docs(UIDS.persona).findMany({ fields: ['slug', 'name'], sort: ['name:asc'] }),
        docs(UIDS.segment).findMany({
          fields: ['slug', 'name', 'priority', 'rule'],
          sort: ['priority:desc', 'name:asc'],
        }),
        docs(UIDS.tag).findMany({ fields: ['slug', 'name'], sort: ['name:asc'] }),
        strapi.plugin('i18n')?.service('locales').find() ?? [],
        strapi.plugin('i18n')?.service('locales').getDefaultLocale() ?? null,
      ]);
      const ref = (row: Row) => ({ slug: String(row.slug), name: String(row.name) });
      return {
        personas: personas.map(ref),
        segments: segments.map((row) => ({
          ...ref(row),
          documentId: String(row.documentId),
          priority: Number(row.priority ?? 0),
          rule: row.rule,
        })),
        tags: tags.map(ref),
        locales: (locales as Array<{ code: string; name: string }>).map((l) => ({
          code: l.code,
          name: l.name,
          isDefault: l.code === defaultLocale,
        })),
        contextFields: contextFields(personas, tags),
        operators: getService('rules', strapi).fieldOperators(),
        formats: [...FORMATS],
      };
    },

    async whereUsed(
      documentId: string,
      requestedLocale?: string
    ): Promise<WhereUsed.Response['data']> {
      const locale = await localeOf(requestedLocale);
      const exists = await Promise.all(
        [UIDS.chunk, UIDS.asset].map((uid) => docs(uid).count({ filters: { documentId } }))
      );
      if (!exists.some((n) => n > 0))
        throw new errors.NotFoundError(`No chunk or asset ${documentId}`);
      const assets = await nestingGraph(locale);
      return whereUsed(
        documentId,
        assets.map((asset) => ({
          ref: { documentId: asset.documentId, slug: asset.slug, title: asset.title },
          id: asset.documentId,
          slug: asset.slug,
          slots: (asset.slots ?? []).map((slot) => ({ key: slot.key, uses: refsOf(slot) })),
        }))
      );
    },

    async saveSegment(
      documentId: string | null,
      body: { name?: string; slug?: string; priority?: number; rule?: unknown }
    ): Promise<SaveSegment.Response['data']> {
      const segments = docs(UIDS.segment);
      let saved: Row | null;
      if (documentId === null) {
        if (!body.name) validationError('A new segment needs a name', ['name']);
        const slug = await freeSlug(UIDS.segment, body.slug, body.name);
        // `rule` always goes in, so a missing one is refused by the rule check with its path.
        saved = await segments.create({ data: { ...body, rule: body.rule, slug } });
      } else {
        if (!(await segments.findOne({ documentId }))) {
          throw new errors.NotFoundError(`No segment ${documentId}`);
        }
        if (body.slug !== undefined) await freeSlug(UIDS.segment, body.slug, body.slug, documentId);
        saved = await segments.update({ documentId, data: body });
      }
      if (!saved) throw new errors.NotFoundError(`No segment ${documentId}`);
      return {
        documentId: String(saved.documentId),
        slug: String(saved.slug),
        name: String(saved.name),
        priority: Number(saved.priority ?? 0),
        rule: saved.rule,
      };
    },

    /** A copy of a segment, named "… (copy)", with a slug of its own; it targets no chunk yet. */
    async duplicateSegment(documentId: string): Promise<SaveSegment.Response['data']> {
      const original = await docs(UIDS.segment).findOne({ documentId });
      if (!original) throw new errors.NotFoundError(`No segment ${documentId}`);
      return this.saveSegment(null, {
        name: `${String(original.name)} (copy)`.slice(0, 255),
        slug: await freeSlug(UIDS.segment, undefined, `${String(original.slug)} copy`),
        priority: Number(original.priority ?? 0),
        rule: original.rule,
      });
    },

    /** The chunks targeted at a segment (any locale), and the assets whose slots offer them. */
    async segmentUses(documentId: string): Promise<SegmentUses.Response['data']> {
      if (!(await docs(UIDS.segment).findOne({ documentId }))) {
        throw new errors.NotFoundError(`No segment ${documentId}`);
      }
      // Every row, draft or published, in every locale: a tag on any of them is a use.
      const rows = (await strapi.db.query(UIDS.chunk).findMany({
        where: { segments: { documentId } },
        select: ['documentId', 'slug', 'title', 'locale'],
        orderBy: { title: 'asc' },
      })) as Array<{ documentId: string; slug: string; title: string; locale?: string | null }>;
      const chunks = new Map<string, Ref & { title: string }>();
      for (const row of rows) {
        if (!chunks.has(row.documentId)) {
          chunks.set(row.documentId, {
            documentId: row.documentId,
            slug: row.slug,
            title: row.title,
          });
        }
      }
      const assets = new Map<string, { asset: WhereUsed.AssetRef; slots: Set<string> }>();
      const locales = [...new Set(rows.map((row) => row.locale ?? null))];
      for (const locale of locales) {
        for (const asset of await nestingGraph(locale)) {
          for (const slot of asset.slots ?? []) {
            if (!refsOf(slot).some((id) => chunks.has(id))) continue;
            const entry = assets.get(asset.documentId) ?? {
              asset: { documentId: asset.documentId, slug: asset.slug, title: asset.title },
              slots: new Set<string>(),
            };
            entry.slots.add(slot.key);
            assets.set(asset.documentId, entry);
          }
        }
      }
      return {
        chunks: [...chunks.values()].map(({ documentId: id, slug, title }) => ({
          documentId: id,
          slug,
          title,
        })),
        assets: [...assets.values()].map(({ asset, slots }) => ({ asset, slots: [...slots] })),
      };
    },

    /**
     * Deletes a segment no chunk is targeted at. A targeted one is refused with its uses: deleting
     * it would turn its variants into defaults every reader gets.
     */
    async deleteSegment(documentId: string): Promise<{ documentId: string }> {
      const uses = await this.segmentUses(documentId);
      if (uses.chunks.length) {
        const segment = await docs(UIDS.segment).findOne({ documentId });
        const titles = uses.chunks.map((c) => `'${c.title}'`).join(', ');
        throw new errors.ApplicationError(
          `Segment '${String(segment?.slug)}' is still targeted by ${uses.chunks.length} chunk${
            uses.chunks.length === 1 ? '' : 's'
          } (${titles}): take it off ${
            uses.chunks.length === 1 ? 'that chunk' : 'those chunks'
          } first, or their variants would be shown to every reader`,
          { uses }
        );
      }
      await docs(UIDS.segment).delete({ documentId });
      return { documentId };
    },
  };
};
