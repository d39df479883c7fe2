/**
 * The contracts are strict about what the wire carries, and the integration tests' check
 * (tests/integration/wire.ts) fails on any drift: a key the contract does not name, a missing
 * field, a value the contract does not allow. Here on hand-made answers, without a server.
 */
import { getChunkResponse, resolveAssetResponse } from '../../contracts/delivery';
import { checkWire, contractOf, parse, type WireResponse } from '../integration/wire';

const json = { 'content-type': 'application/json; charset=utf-8' };

/** An explained answer as the server sends it to a visitor whose persona came from behaviour. */
function explained() {
  return {
    data: {
      slug: 'home',
      locale: 'en',
      format: 'json',
      // An app's own asset field, and one on a chunk: both come through as they are.
      summary: 'For every reader',
      slots: [
        {
          key: 'hero',
          chunks: [
            {
              documentId: 'c1',
              slug: 'hero-developer',
              title: 'Hero',
              locale: 'en',
              content: [],
              icon: null,
            },
          ],
        },
      ],
    },
    meta: {
      persona: 'developer',
      segments: [],
      variantKey: 'v1',
      explain: {
        persona: { requested: null, source: 'affinity', known: null },
        profile: true,
        context: {
          locale: 'en',
          events: [{ name: 'view', ts: 1, chunk: 'c1', personas: ['developer'], tags: [] }],
        },
        segments: [{ slug: 'eu', matched: false }],
        slots: [
          {
            key: 'hero',
            mode: 'best',
            candidates: [
              {
                kind: 'chunk',
                documentId: 'c1',
                slug: 'hero-developer',
                chosen: true,
                reason: 'eligible',
                score: 2,
              },
            ],
          },
        ],
      },
    },
  };
}

const answer = (body: unknown, status = 200): WireResponse => ({ status, body, headers: json });

describe('the delivery contract', () => {
  it('accepts what the server sends: a persona from affinity, the profile flag, app fields', () => {
    const body = parse(resolveAssetResponse, answer(explained()));
    expect(body.meta.explain?.persona.source).toBe('affinity');
    expect(body.data.summary).toBe('For every reader');
  });

  it.each([
    [
      'a key the contract does not name',
      (b: ReturnType<typeof explained>) => {
        Object.assign(b.meta.explain.persona, { guessed: true });
      },
      'meta.explain.persona',
    ],
    [
      'a missing field',
      (b: ReturnType<typeof explained>) => {
        delete (b.meta.explain as Partial<typeof b.meta.explain>).profile;
      },
      'meta.explain.profile',
    ],
    [
      'a value it does not allow',
      (b: ReturnType<typeof explained>) => {
        b.meta.explain.persona.source = 'cookie';
      },
      'meta.explain.persona.source',
    ],
    [
      'a key beside a slot’s chunks',
      (b: ReturnType<typeof explained>) => {
        Object.assign(b.data.slots[0], { hidden: true });
      },
      'data.slots[0]',
    ],
    [
      'a key in meta',
      (b: ReturnType<typeof explained>) => {
        Object.assign(b.meta, { debug: 1 });
      },
      'meta',
    ],
  ])('refuses %s, naming where', (_, drift, where) => {
    const body = explained();
    drift(body);
    expect(() => parse(resolveAssetResponse, answer(body))).toThrow(where);
  });
});

describe('the integration tests’ check', () => {
  it('finds each route’s contract, and the error contract for a refusal', () => {
    expect(contractOf('GET', '/api/mosaic/assets/home?explain=true', 200)).toBe(
      resolveAssetResponse
    );
    expect(contractOf('get', '/api/mosaic/chunks/hero', 200)).toBe(getChunkResponse);
    expect(contractOf('GET', '/api/mosaic/assets/home', 400)).not.toBe(resolveAssetResponse);
    expect(contractOf('GET', '/api/users/me', 200)).toBeNull();
  });

  it('fails a response that drifted and passes one that did not', () => {
    const url = '/api/mosaic/assets/home?explain=true';
    expect(() => checkWire('GET', url, answer(explained()))).not.toThrow();
    const drifted = explained();
    Object.assign(drifted.meta.explain, { reasons: [] });
    expect(() => checkWire('GET', url, answer(drifted))).toThrow(
      /GET \/api\/mosaic\/assets\/home\?explain=true: .*contract[\s\S]*meta\.explain/
    );
  });

  it('holds a refusal to Strapi’s error shape', () => {
    const url = '/api/mosaic/assets/home?tz=Mars';
    const refusal = { status: 400, name: 'ValidationError', message: 'Unknown time zone' };
    expect(() =>
      checkWire('GET', url, answer({ data: null, error: { ...refusal, details: {} } }, 400))
    ).not.toThrow();
    expect(() => checkWire('GET', url, answer({ error: refusal }, 400))).toThrow('data');
  });
});
