'use client';
/** Sends one `view` per chunk shown, once the page is on screen, batched by the client's queue. */
import { useEffect } from 'react';

import type { Placement } from './Blocks';
import { useMosaic } from './MosaicProvider';

export function TrackViews({ views }: { views: Placement[] }) {
  const mosaic = useMosaic();
  const key = JSON.stringify(views);
  useEffect(() => {
    for (const view of JSON.parse(key) as Placement[]) void mosaic.queue({ name: 'view', ...view });
  }, [mosaic, key]);
  return null;
}
