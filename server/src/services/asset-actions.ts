/**
 * What the asset list does to whole assets: copy one (a duplicate, or a new asset started from
 * another as its template) and delete one, refused while another asset nests it.
 */
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import kebabCase from 'lodash/kebabCase';

import type { WhereUsed } from '../../../contracts/admin';
import { UIDS } from '../content-types';
import { documents } from '../data';
import { getService } from '../utils';

type Row = Record<string, unknown>;

/** Every field of the slots and their candidates (other features' too), relations included. */
const COPY_POPULATE = {
  slots: { populate: { candidates: { populate: '*' } } },
} as const;

/** The asset is still nested in others: what the admin shows with links, and refuses. */
export class AssetInUseError extends Error {
  constructor(
    message: string,
    readonly usedBy: WhereUsed.Response['data']
  ) {
    super(message);
  }
}

const isRef = (value: unknown): value is { documentId: string } =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as { documentId?: unknown }).documentId === 'string';

/**
 * A stored component as data for a new document: ids dropped (Strapi makes new rows), relations
 * as documentIds, nested components the same way.
 */
function asData(row: Row): Row {
  const data: Row = {};
  for (const [field, value] of Object.entries(row)) {
    if (field === 'id' || field === '__component') continue;
    if (isRef(value)) data[field] = value.documentId;
    else if (Array.isArray(value))
      data[field] = value.map((item) =>
        isRef(item) ? item.documentId : typeof item === 'object' && item ? asData(item) : item
      );
    else if (typeof value === 'object' && value !== null && !(value instanceof Date))
      data[field] = asData(value as Row);
    else data[field] = value;
  }
  return data;
}

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const assets = () => documents(strapi, UIDS.asset);
  const localeOf = (requested: string | undefined) =>
    getService('delivery').resolveLocale(requested);

  async function draftOf(documentId: string, locale: string | null, populate?: object) {
    const row = await assets().findOne<Row>({
      documentId,
      status: 'draft',
      ...(locale ? { locale } : {}),
      ...(populate ? { populate } : {}),
    });
    if (!row) {
      throw new errors.NotFoundError(
        `No asset ${documentId}${locale ? ` in locale '${locale}'` : ''}`
      );
    }
    return row;
  }

  async function slugTaken(slug: string) {
    return (await assets().count({ filters: { slug } })) > 0;
  }

  async function freeSlug(base: string) {
    for (let n = 1; ; n += 1) {
      const slug = n === 1 ? base : `${base}-${n}`;
      if (!(await slugTaken(slug))) return slug;
    }
  }

  return {
    /**
     * A new draft asset with `documentId`'s slots (in `locale`): every slot, candidate and field
     * of theirs, in order. The source is left as it was.
     */
    async copy(
      documentId: string,
      requestedLocale: string | undefined,
      body: { title?: string; slug?: string }
    ) {
      const locale = await localeOf(requestedLocale);
      const source = await draftOf(documentId, locale, COPY_POPULATE);
      const title = body.title ?? `${String(source.title)} (copy)`;
      let slug: string;
      if (body.slug !== undefined) {
        if (await slugTaken(body.slug)) {
          throw new errors.ValidationError(`The slug '${body.slug}' is already used`, {
            errors: [{ path: ['slug'], message: `The slug '${body.slug}' is already used` }],
          });
        }
        slug = body.slug;
      } else {
        slug = await freeSlug(
          body.title ? kebabCase(body.title) || 'untitled' : `${String(source.slug)}-copy`
        );
      }
      const slots = ((source.slots as Row[] | undefined) ?? []).map(asData);
      const created = await assets().create({
        ...(locale ? { locale } : {}),
        data: { title, slug, ...(source.kind ? { kind: source.kind } : {}), slots },
      });
      return getService('editor').getAsset(String(created.documentId), locale ?? undefined);
    },

    /**
     * Deletes the asset's version in `locale` (draft and published). Refused while another asset's
     * slots nest it, directly or through others: deleting it would change those silently.
     */
    async remove(documentId: string, requestedLocale: string | undefined) {
      const locale = await localeOf(requestedLocale);
      const row = await draftOf(documentId, locale);
      const usedBy = await getService('editor').whereUsed(documentId, locale ?? undefined);
      if (usedBy.direct.length > 0) {
        const titles = usedBy.direct.map((use) => `'${use.asset.title}'`).join(', ');
        throw new AssetInUseError(
          `'${String(row.title)}' is nested in ${titles}: remove it from ${
            usedBy.direct.length > 1 ? 'those assets' : 'that asset'
          } first, then delete it.`,
          usedBy
        );
      }
      await assets().delete({ documentId, ...(locale ? { locale } : {}) });
      return { documentId, slug: String(row.slug), locale: locale ?? null };
    },
  };
};
