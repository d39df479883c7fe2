'use client';
/**
 * A chunk's blocks (Mosaic's `format=json`) rendered with Strapi's own renderer: React elements,
 * never HTML strings. Links inside the page navigate without a reload; every click on one is
 * tracked as a `click` on the chunk it belongs to (clicks raise the reader's affinity, as views do).
 */
import { BlocksRenderer, type BlocksContent } from '@strapi/blocks-react-renderer';
import Link from 'next/link';

import { useMosaic } from './MosaicProvider';

export interface Placement {
  asset?: string;
  slot?: string;
  chunk: string;
  variantKey?: string;
}

export function Blocks({ content, placement }: { content: unknown; placement?: Placement }) {
  const mosaic = useMosaic();
  // Without a placement (the preview), clicks are an editor's, not a reader's: not tracked.
  const clicked = (url: string) => {
    if (placement) void mosaic.queue({ name: 'click', ...placement, props: { url } });
  };
  return (
    <BlocksRenderer
      content={(Array.isArray(content) ? content : []) as BlocksContent}
      blocks={{
        link: ({ children, url }) =>
          url.startsWith('/') ? (
            <Link href={url} onClick={() => clicked(url)} data-cta={placement?.chunk}>
              {children}
            </Link>
          ) : (
            <a href={url} onClick={() => clicked(url)} rel="noopener noreferrer">
              {children}
            </a>
          ),
      }}
    />
  );
}
