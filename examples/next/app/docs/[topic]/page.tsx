/** A reading page: its chunks from Mosaic (`/api/mosaic/chunks/:slug`), one `view` each. */
import Link from 'next/link';
import { notFound } from 'next/navigation';

import { Blocks } from '../../../components/Blocks';
import { TrackViews } from '../../../components/TrackViews';
import { mosaicForRequest } from '../../../lib/mosaic';
import { TOPICS } from '../../../lib/topics';

export default async function Topic({ params }: { params: Promise<{ topic: string }> }) {
  const topic = TOPICS[(await params).topic];
  if (!topic) notFound();
  const { mosaic } = await mosaicForRequest();
  const chunks = await Promise.all(
    topic.chunks.map(async (slug) => (await mosaic.chunk(slug, { format: 'json' })).data)
  );
  return (
    <main>
      <p className="crumbs">
        <Link href="/">Home</Link> / {topic.title}
      </p>
      {chunks.map((chunk) => (
        <article key={chunk.documentId} className="chunk" data-chunk={chunk.slug}>
          <Blocks content={chunk.content} placement={{ chunk: chunk.slug }} />
        </article>
      ))}
      <TrackViews views={chunks.map((chunk) => ({ chunk: chunk.slug }))} />
    </main>
  );
}
