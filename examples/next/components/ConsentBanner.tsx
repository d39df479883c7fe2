'use client';
/**
 * The consent banner. Accept: the visitor gets an id and a profile (Mosaic learns from what they
 * read). Decline: no id, nothing stored about them, only anonymous counts. The server knows the
 * answer from the cookie, so the banner is in (or out of) the first HTML, without a flash.
 */
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import type { Consent } from 'strapi-mosaic-client';

import { useMosaic } from './MosaicProvider';

export function ConsentBanner({ initial }: { initial: Consent | null }) {
  const mosaic = useMosaic();
  const router = useRouter();
  const [consent, setConsent] = useState<Consent | null>(initial);
  const [open, setOpen] = useState(initial === null);

  const answer = (value: Consent) => {
    mosaic.setConsent(value);
    // Granted: the id exists before the page is resolved again for this visitor.
    if (value === 'granted') mosaic.visitorId();
    setConsent(value);
    setOpen(false);
    router.refresh();
  };

  if (!open) {
    return (
      <p className="consent-status">
        Personalisation from your reading: <strong>{consent === 'granted' ? 'on' : 'off'}</strong>{' '}
        <button type="button" className="link" onClick={() => setOpen(true)}>
          Change
        </button>
      </p>
    );
  }
  return (
    <div role="dialog" aria-label="Cookie consent" className="consent">
      <p>
        May we remember what you read on this site, to show you the pages that fit you best? We keep
        a random id in a cookie, never your IP address.
      </p>
      <div className="consent-actions">
        <button type="button" onClick={() => answer('granted')}>
          Accept
        </button>
        <button type="button" className="secondary" onClick={() => answer('denied')}>
          Decline
        </button>
      </div>
    </div>
  );
}
