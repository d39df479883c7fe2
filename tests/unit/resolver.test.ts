/**
 * The standalone resolver's own surface, over the checked-in demo manifest
 * (tests/conformance/cases/playground-demo.json): Web-standard requests (URLSearchParams, Headers,
 * the visitor cookie), the refusals the server would give, the settings the manifest carries, and
 * a rendering shared per variant that no caller can change.
 */
import fs from 'fs';
import path from 'path';

import { createResolver, ResolverError, type Manifest } from '../../resolver/index';

const demo: Manifest = JSON.parse(
  fs.readFileSync(path.resolve(__dirname, '../conformance/cases/playground-demo.json'), 'utf8')
).manifest;

const DESKTOP = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36';
const heroOf = (answer: ReturnType<ReturnType<typeof createResolver>['resolve']>) =>
  answer!.data.slots.find((s) => s.key === 'hero')!.chunks.map((c) => c.slug);

describe('a resolver over the demo manifest', () => {
  const resolver = createResolver(demo);

  it('reads a Fetch request: URLSearchParams, Headers, the geo header and the visitor cookie', () => {
    const headers = new Headers({
      'User-Agent': DESKTOP,
      'CF-IPCountry': 'de',
      Cookie: 'theme=dark; mosaic_vid=cookie-visitor-0001',
    });
    const answer = resolver.resolveRequest('home', {
      query: new URLSearchParams('format=text'),
      headers,
    })!;
    expect(answer.meta.segments).toContain('dach-visitors');
    expect(heroOf(answer)).toEqual(['hero-dach']);
    expect(answer.data.format).toBe('text');
    // The cookie's id buckets the experiment.
    expect(answer.meta.experiments![0]).toMatchObject({ bucketed: true, counted: false });
  });

  it('answers as the server for a context, the persona parameter included', () => {
    expect(heroOf(resolver.resolve('home', {}, { persona: 'developer' }))).toEqual([
      'hero-developer',
    ]);
    const unknown = resolver.resolve('home', {}, { persona: 'astronaut' })!;
    expect(unknown.meta).toMatchObject({
      persona: null,
      warnings: ["Unknown persona 'astronaut': resolved without a persona"],
    });
    expect(resolver.resolve('no-such-page', {})).toBeNull();
  });

  it('refuses what the server refuses, with its status', () => {
    const refusal = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        return error instanceof ResolverError ? [error.status, error.message] : error;
      }
      return 'answered';
    };
    expect(refusal(() => resolver.resolve('home', {}, { locale: 'de' }))).toEqual([
      400,
      "Unknown locale 'de': use one of en, fr",
    ]);
    expect(
      refusal(() => resolver.resolveRequest('home', { query: { tz: 'Mars/Olympus' } }))
    ).toEqual([400, "Unknown time zone 'Mars/Olympus': use an IANA zone such as Europe/Berlin"]);
    expect(
      refusal(() => resolver.resolveRequest('home', { headers: { 'X-Mosaic-Visitor': 'short' } }))
    ).toEqual([400, expect.stringContaining('The visitor id must be 8 to 128 characters')]);
    expect(refusal(() => createResolver({ ...demo, schema: 2 as 1 }))).toEqual([
      500,
      'Unknown manifest schema 2: this resolver reads schema 1',
    ]);
  });

  it('follows the settings the manifest carries', () => {
    const strict = createResolver({
      ...demo,
      settings: { ...demo.settings, allowPersonaParam: false },
    });
    const answer = strict.resolve('home', {}, { persona: 'developer' })!;
    expect(answer.meta.persona).toBeNull();
    expect(answer.meta.warnings).toEqual([
      "The persona parameter is disabled on this server; 'developer' was ignored",
    ]);
    // A trusted trait still decides it.
    expect(strict.resolve('home', { traits: { persona: 'executive' } })!.meta.persona).toBe(
      'executive'
    );
  });

  it("renders each variant once, and no caller can change another's answer", () => {
    const first = resolver.resolve('home', {}, { persona: 'marketer', format: 'html' })!;
    const second = resolver.resolve('home', {}, { persona: 'marketer', format: 'html' })!;
    expect(second.meta.variantKey).toBe(first.meta.variantKey);
    expect(second.data).toBe(first.data);
    expect(() => {
      (first.data.slots[0].chunks[0] as { title: string }).title = 'defaced';
    }).toThrow(TypeError);
    expect(second.data.slots[0].chunks[0].title).not.toBe('defaced');
  });

  it("renders a body holding a reader's own merge value for them alone", () => {
    const email = (firstName: string) =>
      resolver.resolve('welcome-email', { traits: { firstName } }, { format: 'text' })!;
    const [ada, bob] = [email('Ada'), email('Bob')];
    expect(ada.data.slots[0].chunks[0].content).toBe('Hi Ada,');
    expect(bob.data.slots[0].chunks[0].content).toBe('Hi Bob,');
    expect(Object.isFrozen(ada.data)).toBe(false);
  });
});
