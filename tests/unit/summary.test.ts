/**
 * Profile summaries as the resolver verifies them (Web Crypto, no server): a summary signed with
 * the shared secret is taken; any change to a token, another key, an expired one, another
 * visitor's or one without consent is refused; and a taken summary decides the persona and the
 * profile segments over the checked-in demo manifest.
 */
import fs from 'fs';
import path from 'path';

import fc from 'fast-check';

import { createResolver, type Manifest } from '../../resolver/index';
import {
  signSummary,
  subjectOf,
  summaryKey,
  type ProfileSummary,
} from '../../server/src/core/summary';

const demo: Manifest = JSON.parse(
  fs.readFileSync(path.resolve(__dirname, '../conformance/cases/playground-demo.json'), 'utf8')
).manifest;

const SECRET = 'unit-test-summary-secret-0123456789abcdef';
const VISITOR = 'unit-visitor-0001';
const NOW = 1_780_000_000;
const DESKTOP = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36';

async function token(over: Partial<ProfileSummary> = {}, secret = SECRET) {
  const summary: Omit<ProfileSummary, 'kid'> = {
    v: 1,
    sub: await subjectOf(VISITOR),
    iat: NOW,
    exp: NOW + 900,
    consent: 'required',
    persona: 'developer',
    affinity: { personas: { developer: 0.8 }, tags: { api: 0.6 } },
    segments: ['returning-visitors'],
    ...over,
  };
  return signSummary(summary, await summaryKey(secret));
}

const resolver = createResolver(demo, {
  summaryKey: ['an-older-secret-still-accepted-1234', SECRET],
});
const reader = { visitorId: VISITOR, consent: true, now: (NOW + 60) * 1000 };

describe('verifying a summary', () => {
  it('takes one signed with a shared key, and refuses what is wrong about it', async () => {
    const good = await token();
    expect(await resolver.verifySummary(good, reader)).toMatchObject({ ok: true });
    const verdict = async (t: string, r = reader) => {
      const v = await resolver.verifySummary(t, r);
      return v.ok || v.reason;
    };
    expect(await verdict(await token({}, 'a-third-secret-nobody-shared-with-us'))).toBe(
      'unknown-key'
    );
    expect(await verdict(good, { ...reader, now: (NOW + 900) * 1000 })).toBe('expired');
    expect(await verdict(await token({ iat: NOW + 3600, exp: NOW + 4000 }))).toBe('not-yet-valid');
    expect(await verdict(good, { ...reader, visitorId: 'unit-visitor-0002' })).toBe(
      'other-visitor'
    );
    expect(await verdict(good, { ...reader, visitorId: null as unknown as string })).toBe(
      'other-visitor'
    );
    expect(await verdict(good, { ...reader, consent: undefined as unknown as boolean })).toBe(
      'no-consent'
    );
    const implied = await token({ consent: 'implied' });
    expect(await verdict(implied, { ...reader, consent: undefined as unknown as boolean })).toBe(
      true
    );
    expect(await verdict(implied, { ...reader, consent: false })).toBe('no-consent');
    expect(await verdict(await token({ v: 2 as 1 }))).toBe('unknown-version');
  });

  it('refuses one issued before the manifest’s last erasure, and takes one issued after', async () => {
    const erasedAt = NOW + 10;
    const revoking = createResolver(
      { ...demo, settings: { ...demo.settings, summaryNotBefore: erasedAt } },
      { summaryKey: SECRET }
    );
    const later = { ...reader, now: (NOW + 20) * 1000 };
    const before = await revoking.verifySummary(await token({ iat: erasedAt - 1 }), later);
    expect(before).toEqual({ ok: false, reason: 'revoked' });
    const after = await revoking.verifySummary(await token({ iat: erasedAt }), later);
    expect(after.ok).toBe(true);
    // The manifest it came with revokes nothing.
    expect((await resolver.verifySummary(await token({ iat: erasedAt - 1 }), later)).ok).toBe(true);
  });

  it('refuses a token with any character changed', async () => {
    const good = await token();
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.';
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: good.length - 1 }),
        fc.constantFrom(...alphabet),
        async (at, char) => {
          fc.pre(good[at] !== char);
          const changed = good.slice(0, at) + char + good.slice(at + 1);
          // A change in the last character may only touch padding bits of the signature.
          const verdict = await resolver.verifySummary(changed, reader);
          const sameBytes =
            Buffer.from(changed.split('.')[1] ?? '', 'base64url').equals(
              Buffer.from(good.split('.')[1], 'base64url')
            ) && changed.split('.')[0] === good.split('.')[0];
          expect(verdict.ok).toBe(sameBytes);
        }
      ),
      { numRuns: 200 }
    );
  });
});

describe('resolving with a summary', () => {
  it('its persona and profile segments decide; without it, only the request does', async () => {
    const headers = {
      'User-Agent': DESKTOP,
      Cookie: `mosaic_vid=${VISITOR}; mosaic_consent=granted; mosaic_summary=${await token()}`,
    };
    const withSummary = await resolver.resolveWithSummary('home', {
      headers,
      now: new Date(reader.now),
    });
    expect(withSummary!.summary).toMatchObject({ ok: true });
    expect(withSummary!.meta.persona).toBe('developer');
    expect(withSummary!.meta.segments).toContain('returning-visitors');
    const proof = withSummary!.data.slots.find((s) => s.key === 'proof')!.chunks[0].slug;
    expect(proof).toBe('proof-returning');

    const without = resolver.resolveRequest('home', { headers, now: new Date(reader.now) })!;
    expect(without.meta.persona).toBeNull();
    expect(without.meta.segments).not.toContain('returning-visitors');

    // The persona parameter still beats the profile's, as on the server.
    const param = await resolver.resolveWithSummary('home', {
      headers,
      query: { persona: 'marketer' },
      now: new Date(reader.now),
    });
    expect(param!.meta.persona).toBe('marketer');
    expect(param!.meta.segments).toContain('returning-visitors');
  });
});
