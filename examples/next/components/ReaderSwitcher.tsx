'use client';
/**
 * The preview's reader switcher: who the editor sees the page as (persona, forced segments, a
 * simulated country, device, referrer, a returning visit). Each change reloads the preview with
 * the reader in the URL, so the page is resolved again on the server, exactly as for a reader.
 */
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useEffect, useRef } from 'react';

import type { Taxonomy } from '../lib/preview';

const DEVICES = ['desktop', 'mobile', 'tablet'];
const COUNTRIES = ['US', 'GB', 'FR', 'DE', 'AT', 'CH'];
const REFERRERS = ['https://t.co/', 'https://www.google.com/'];

export function ReaderSwitcher({ taxonomy }: { taxonomy: Taxonomy }) {
  const router = useRouter();
  const pathname = usePathname();
  const search = useSearchParams();
  const segments = (search.get('segments') ?? '').split(',').filter(Boolean);

  // A change made while the previous one is still loading builds on it, not on the old URL.
  const pending = useRef<URLSearchParams | null>(null);
  useEffect(() => {
    pending.current = null;
  }, [search]);

  const change = (key: string, value: string | null) => {
    const next = new URLSearchParams((pending.current ?? search).toString());
    if (value) next.set(key, value);
    else next.delete(key);
    pending.current = next;
    router.replace(`${pathname}?${next}`);
  };
  const toggleSegment = (slug: string, on: boolean) => {
    const current = ((pending.current ?? search).get('segments') ?? '').split(',').filter(Boolean);
    const next = on ? [...current, slug] : current.filter((s) => s !== slug);
    change('segments', next.join(',') || null);
  };

  const select = (key: string, label: string, options: Array<[string, string]>) => (
    <label>
      {label}
      <select value={search.get(key) ?? ''} onChange={(e) => change(key, e.target.value || null)}>
        <option value="">Any</option>
        {options.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );

  return (
    <form className="preview-bar" aria-label="Preview as" onSubmit={(e) => e.preventDefault()}>
      <strong>Preview as</strong>
      {select(
        'persona',
        'Persona',
        taxonomy.personas.map((p) => [p.slug, p.name])
      )}
      {select(
        'country',
        'Country',
        COUNTRIES.map((c) => [c, c])
      )}
      {select(
        'device',
        'Device',
        DEVICES.map((d) => [d, d])
      )}
      {select(
        'referrer',
        'Referrer',
        REFERRERS.map((r) => [r, new URL(r).host])
      )}
      <label>
        <span>
          <input
            type="checkbox"
            checked={search.get('returning') === '1'}
            onChange={(e) => change('returning', e.target.checked ? '1' : null)}
          />{' '}
          Returning visitor
        </span>
      </label>
      <fieldset>
        <legend>Segments</legend>
        {taxonomy.segments.map((segment) => (
          <label key={segment.slug}>
            <span>
              <input
                type="checkbox"
                checked={segments.includes(segment.slug)}
                onChange={(e) => toggleSegment(segment.slug, e.target.checked)}
              />{' '}
              {segment.name}
            </span>
          </label>
        ))}
      </fieldset>
    </form>
  );
}
