/**
 * How chunks and assets look in the Content Manager: readable labels and descriptions, the list
 * columns that matter (title, slug, personas, segments, tags; the status column is the CM's own)
 * with 50 rows a page, and the targeting fields near the top of the edit view, above the tall body
 * editor. Set the Strapi way, in the Content Manager's stored configuration of each content type
 * (core store, `plugin_content_manager_configuration_content_types::<uid>`), through the Content
 * Manager's own service, at bootstrap (after the Content Manager created its default).
 *
 * An app's own customisation is never overwritten: the layout is applied only while the stored
 * configuration is still the Content Manager's untouched default (raw field names as labels, no
 * descriptions, 10 rows a page). Fields an app added keep their place, after Mosaic's.
 */
import type { Core } from '@strapi/strapi';

import { UIDS } from './content-types';

type Row = Record<string, unknown>;

interface FieldMeta {
  label: string;
  description: string;
  placeholder?: string;
}

interface Layout {
  settings: Row;
  metadatas: Record<string, FieldMeta>;
  list: string[];
  edit: Array<Array<{ name: string; size: number }>>;
}

const SETTINGS = {
  pageSize: 50,
  mainField: 'title',
  defaultSortBy: 'title',
  defaultSortOrder: 'ASC',
};

export const LAYOUTS: Record<typeof UIDS.chunk | typeof UIDS.asset, Layout> = {
  [UIDS.chunk]: {
    settings: SETTINGS,
    metadatas: {
      title: {
        label: 'Title',
        description: "What editors see in Mosaic's picker and builder; readers see the body.",
      },
      slug: {
        label: 'Slug',
        description: "The chunk's id in the delivery API (/api/mosaic/chunks/<slug>).",
      },
      personas: {
        label: 'Personas',
        description:
          'Shown only to readers of these personas. None and no segment: the default, shown to everyone.',
      },
      segments: {
        label: 'Segments',
        description:
          'Shown only to readers in one of these segments (rules over the request or the profile).',
      },
      tags: {
        label: 'Topic tags',
        description:
          "What the chunk is about: builds readers' interests; does not restrict who sees it.",
      },
      availableFrom: {
        label: 'Available from',
        description: 'Not served before this time (empty: from publication).',
      },
      availableUntil: {
        label: 'Available until',
        description: 'Not served after this time (empty: no end).',
      },
      body: {
        label: 'Body',
        description:
          'The content, format-free: Mosaic renders it as blocks, HTML, Markdown or text.',
      },
    },
    list: ['title', 'slug', 'personas', 'segments', 'tags'],
    edit: [
      [
        { name: 'title', size: 6 },
        { name: 'slug', size: 6 },
      ],
      [
        { name: 'personas', size: 6 },
        { name: 'segments', size: 6 },
      ],
      [{ name: 'tags', size: 6 }],
      [
        { name: 'availableFrom', size: 6 },
        { name: 'availableUntil', size: 6 },
      ],
      [{ name: 'body', size: 12 }],
    ],
  },
  [UIDS.asset]: {
    settings: SETTINGS,
    metadatas: {
      title: {
        label: 'Title',
        description: 'The page, email or landing page, as editors call it.',
      },
      slug: {
        label: 'Slug',
        description: "The asset's id in the delivery API (/api/mosaic/assets/<slug>).",
      },
      kind: { label: 'Kind', description: 'What the asset is: a page, an email, a fragment…' },
      slots: {
        label: 'Slots',
        description:
          "Places in the asset and the chunks each may show. Easier in Mosaic's builder (Plugins → Mosaic).",
      },
    },
    list: ['title', 'slug', 'kind', 'updatedAt'],
    edit: [
      [
        { name: 'title', size: 6 },
        { name: 'slug', size: 6 },
      ],
      [{ name: 'kind', size: 6 }],
      [{ name: 'slots', size: 12 }],
    ],
  },
};

interface StoredConfiguration {
  settings?: Row;
  metadatas?: Record<string, { edit?: Row; list?: Row }>;
  layouts?: { list?: string[]; edit?: Array<Array<{ name: string; size: number }>> };
}

/** The Content Manager's own default: raw names as labels, no descriptions, 10 rows a page. */
export function isUntouched(stored: StoredConfiguration, layout: Layout): boolean {
  if (!stored.settings || !stored.metadatas || !stored.layouts) return false;
  if (stored.settings.pageSize !== 10) return false;
  if ((stored.layouts.list ?? []).length > 4) return false;
  return Object.keys(layout.metadatas).every((name) => {
    const edit = stored.metadatas?.[name]?.edit;
    const list = stored.metadatas?.[name]?.list;
    if (!edit) return true;
    return (
      (edit.label ?? name) === name &&
      !edit.description &&
      (list?.label === undefined || list.label === name)
    );
  });
}

/** The stored configuration with Mosaic's layout in it; other fields and keys kept. */
export function withLayout(stored: StoredConfiguration, layout: Layout) {
  const metadatas = { ...(stored.metadatas ?? {}) };
  for (const [name, meta] of Object.entries(layout.metadatas)) {
    if (!metadatas[name]) continue;
    metadatas[name] = {
      ...metadatas[name],
      edit: { ...metadatas[name].edit, label: meta.label, description: meta.description },
      list: { ...metadatas[name].list, label: meta.label },
    };
  }
  const known = new Set(Object.keys(metadatas));
  const ours = new Set(layout.edit.flat().map((field) => field.name));
  const edit = layout.edit
    .map((row) => row.filter((field) => known.has(field.name)))
    .filter((row) => row.length > 0);
  // Fields an app added to the content type keep their rows, after Mosaic's.
  for (const row of stored.layouts?.edit ?? []) {
    const others = row.filter((field) => !ours.has(field.name));
    if (others.length > 0) edit.push(others);
  }
  return {
    ...stored,
    settings: { ...(stored.settings ?? {}), ...layout.settings },
    metadatas,
    layouts: {
      ...(stored.layouts ?? {}),
      list: layout.list.filter((name) => known.has(name)),
      edit,
    },
  };
}

interface ContentTypesService {
  findConfiguration(contentType: { uid: string }): Promise<StoredConfiguration>;
  updateConfiguration(contentType: { uid: string }, configuration: object): Promise<unknown>;
}

/** Applies Mosaic's layouts where the Content Manager's defaults are still untouched. */
export async function applyContentManagerLayouts(strapi: Core.Strapi) {
  const contentManager = strapi.plugin('content-manager');
  if (!contentManager) return;
  const service = contentManager.service('content-types') as unknown as ContentTypesService;
  for (const [uid, layout] of Object.entries(LAYOUTS)) {
    const contentType = strapi.contentType(uid as never) as unknown as { uid: string } | undefined;
    if (!contentType) continue;
    const stored = await service.findConfiguration(contentType);
    if (!isUntouched(stored, layout)) continue;
    await service.updateConfiguration(contentType, withLayout(stored, layout));
  }
}
