/**
 * The page itself in Strapi's preview: the asset's draft (or published) version resolved by
 * Mosaic for the reader the editor picks, rendered by the same components as the live page, with
 * the previewed chunk outlined. Only in draft mode (entered through /api/preview with the secret).
 */
import { draftMode } from 'next/headers';

import { Assembly } from '../../components/Assembly';
import { ReaderSwitcher } from '../../components/ReaderSwitcher';
import { previewAsset, previewTaxonomy, type PreviewReader } from '../../lib/preview';

type Search = Promise<Record<string, string | string[] | undefined>>;

const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

function readerOf(search: Record<string, string | string[] | undefined>): PreviewReader {
  const device = one(search.device);
  return {
    persona: one(search.persona),
    segments: (one(search.segments) ?? '').split(',').filter(Boolean),
    context: {
      country: one(search.country),
      device:
        device === 'mobile' || device === 'tablet' || device === 'desktop' ? device : undefined,
      referrer: one(search.referrer),
      returning: one(search.returning) === '1' ? true : undefined,
    },
  };
}

export default async function Preview({ searchParams }: { searchParams: Search }) {
  if (!(await draftMode()).isEnabled) {
    return (
      <main>
        <p>Open the preview from Strapi&apos;s Content Manager.</p>
      </main>
    );
  }
  const search = await searchParams;
  const asset = one(search.asset);
  const chunk = one(search.chunk);
  const taxonomy = await previewTaxonomy();
  if (!asset) {
    return (
      <main>
        <ReaderSwitcher taxonomy={taxonomy} />
        <p role="status">
          The chunk <code>{chunk}</code> is not used by any asset yet: add it to a slot to see it on
          a page.
        </p>
      </main>
    );
  }
  const resolved = await previewAsset({
    asset,
    locale: one(search.locale),
    status: one(search.status) === 'published' ? 'published' : 'draft',
    reader: readerOf(search),
  });
  const shown = resolved.data.slots.some((slot) => slot.chunks.some((c) => c.slug === chunk));
  return (
    <main>
      <ReaderSwitcher taxonomy={taxonomy} />
      {chunk && !shown && (
        <p role="status">
          This reader does not see <code>{chunk}</code>: change the reader above.
        </p>
      )}
      <Assembly resolved={resolved} track={false} highlight={chunk} />
    </main>
  );
}
