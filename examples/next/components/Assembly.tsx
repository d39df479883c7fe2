/**
 * An assembly as the page shows it: each slot's chunks rendered from their blocks, what decided
 * them (persona, segments, the experiment's variant), and one `view` per chunk once on screen.
 * A server component: the personalised HTML is in the first response.
 */
import type { ResolveAsset } from 'strapi-mosaic-client';

import { Blocks, type Placement } from './Blocks';
import { TrackViews } from './TrackViews';

type Resolved = ResolveAsset.Response;

export function Assembly({
  resolved,
  track = true,
  highlight,
}: {
  resolved: Resolved;
  /** Off in the preview: an editor's views are not a reader's. */
  track?: boolean;
  /** A chunk to outline (the one an editor previews). */
  highlight?: string;
}) {
  const { data, meta } = resolved;
  const views: Placement[] = [];
  for (const slot of data.slots)
    for (const chunk of slot.chunks)
      views.push({
        asset: data.slug,
        slot: slot.key,
        chunk: chunk.slug,
        variantKey: meta.variantKey,
      });
  return (
    <>
      <ReaderNote meta={meta} slots={data.slots} />
      {data.slots.map((slot) => (
        <section key={slot.key} className={`slot slot-${slot.key}`} data-slot={slot.key}>
          {slot.chunks.map((chunk) => (
            <div
              key={chunk.documentId}
              className={chunk.slug === highlight ? 'chunk highlighted' : 'chunk'}
              data-chunk={chunk.slug}
            >
              <Blocks
                content={chunk.content}
                placement={
                  track
                    ? {
                        asset: data.slug,
                        slot: slot.key,
                        chunk: chunk.slug,
                        variantKey: meta.variantKey,
                      }
                    : undefined
                }
              />
            </div>
          ))}
        </section>
      ))}
      {track && <TrackViews views={views} />}
    </>
  );
}

/** Why this reader sees this page: persona, segments and the experiment's variant. */
function ReaderNote({ meta, slots }: { meta: Resolved['meta']; slots: Resolved['data']['slots'] }) {
  const title = (documentId: string) =>
    slots.flatMap((slot) => slot.chunks).find((chunk) => chunk.documentId === documentId)?.title ??
    documentId;
  return (
    <aside className="reader" aria-label="Why you see this page">
      <span>
        Persona: <strong data-testid="persona">{meta.persona ?? 'none'}</strong>
      </span>
      <span>
        Segments: <strong data-testid="segments">{meta.segments.join(', ') || 'none'}</strong>
      </span>
      {(meta.experiments ?? []).map((experiment) => (
        <span key={experiment.key} data-testid={`experiment-${experiment.slot}`}>
          Experiment <code>{experiment.slot}</code>:{' '}
          <strong data-testid="variant">
            {!experiment.bucketed
              ? 'not in the test (no visitor id)'
              : experiment.holdout
                ? 'holdout'
                : title(experiment.variant)}
          </strong>
        </span>
      ))}
    </aside>
  );
}
