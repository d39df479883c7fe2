'use client';
/**
 * The site's conversion goal: a signup. It is credited to the variants of the home page's
 * experiment this visitor saw (Mosaic attributes it; the Insights page shows the result).
 */
import { useState } from 'react';

import { useMosaic } from './MosaicProvider';

export function SignupButton() {
  const mosaic = useMosaic();
  const [done, setDone] = useState(false);
  const signUp = async () => {
    void mosaic.queue({ name: 'conversion', goal: 'signup', asset: 'home' });
    await mosaic.flush();
    setDone(true);
  };
  if (done) return <p role="status">Welcome aboard! Your account is ready.</p>;
  return (
    <button type="button" onClick={() => void signUp()}>
      Create my account
    </button>
  );
}
