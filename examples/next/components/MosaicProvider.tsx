'use client';
/**
 * The browser's Mosaic client, shared by the components that track: it keeps the visitor id and
 * consent in the same first-party cookies the server reads, and sends queued events in batches
 * (flushed when the page is hidden, so a closing tab still sends them).
 */
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { createMosaicClient, type MosaicClient } from 'strapi-mosaic-client';

const MosaicContext = createContext<MosaicClient | null>(null);

export function MosaicProvider({
  strapiUrl,
  children,
}: {
  strapiUrl: string;
  children: ReactNode;
}) {
  const [client] = useState(() => createMosaicClient({ baseUrl: strapiUrl }));
  useEffect(() => {
    // The page answers clicks from now on (browser tests wait for this before they click).
    document.documentElement.dataset.ready = 'true';
    const flush = () => void client.flush();
    window.addEventListener('pagehide', flush);
    return () => window.removeEventListener('pagehide', flush);
  }, [client]);
  return <MosaicContext.Provider value={client}>{children}</MosaicContext.Provider>;
}

export function useMosaic(): MosaicClient {
  const client = useContext(MosaicContext);
  if (!client) throw new Error('useMosaic() outside <MosaicProvider>');
  return client;
}
