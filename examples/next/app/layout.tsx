/**
 * Every page: the header, the consent banner (its state read from the cookie on the server; none in
 * Strapi's preview, where the reader is an editor) and the browser's Mosaic client for tracking,
 * pointed at the Strapi this server uses.
 */
import { cookies, draftMode } from 'next/headers';
import Link from 'next/link';
import type { ReactNode } from 'react';

import { ConsentBanner } from '../components/ConsentBanner';
import { MosaicProvider } from '../components/MosaicProvider';
import { CONSENT_COOKIE, strapiUrl } from '../lib/settings';
import './globals.css';

export const metadata = { title: 'Mosaic — the right content for every reader' };

export default async function RootLayout({ children }: { children: ReactNode }) {
  const consent = (await cookies()).get(CONSENT_COOKIE)?.value;
  const previewing = (await draftMode()).isEnabled;
  return (
    <html lang="en">
      <body>
        <MosaicProvider strapiUrl={strapiUrl()}>
          <header className="site-header">
            <Link href="/" className="brand">
              Mosaic
            </Link>
            <nav>
              <Link href="/docs/quickstart">Quickstart</Link>
              <Link href="/docs/api">API</Link>
              <Link href="/docs/campaigns">Campaigns</Link>
              <Link href="/signup">Sign up</Link>
            </nav>
          </header>
          {children}
          {!previewing && (
            <footer className="site-footer">
              <ConsentBanner
                initial={consent === 'granted' || consent === 'denied' ? consent : null}
              />
            </footer>
          )}
        </MosaicProvider>
      </body>
    </html>
  );
}
