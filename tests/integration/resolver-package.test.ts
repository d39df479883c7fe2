/**
 * The resolver installs as an edge or frontend developer installs it: `npm pack` the resolver/
 * workspace (its `prepack` builds it), install the tarball into an empty project with the network
 * off, and use it from there in child processes, by `require` and by `import`. Nothing else lands
 * in node_modules, and its code imports nothing: no Node built-in (edge runtimes have none), no
 * package. Needs no Strapi: it is here, not in the unit project, because packing takes seconds.
 */
import { execFileSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';

import { npmAsUser } from './packages';

const RESOLVER_DIR = path.resolve(__dirname, '../../resolver');
const CASES = path.resolve(__dirname, '../conformance/cases/playground-demo.json');

let tmp: string;
let app: string;

const run = (file: string) =>
  execFileSync(process.execPath, [file], { cwd: app, encoding: 'utf8' });

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mosaic-resolver-'));
  const [packed] = JSON.parse(
    npmAsUser(['pack', '--json', '--pack-destination', tmp], RESOLVER_DIR)
  );
  app = path.join(tmp, 'edge');
  fs.mkdirSync(app);
  fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'edge', private: true }));
  npmAsUser(
    ['install', '--offline', '--no-audit', '--no-fund', path.join(tmp, packed.filename)],
    app
  );
}, 180_000);

afterAll(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

test('installs alone, and its code imports nothing but its own files', () => {
  expect(fs.readdirSync(path.join(app, 'node_modules')).filter((d) => !d.startsWith('.'))).toEqual([
    'strapi-mosaic-resolver',
  ]);
  const dist = path.join(app, 'node_modules/strapi-mosaic-resolver/dist');
  const specifiers: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (file.endsWith('.js')) {
        const source = fs.readFileSync(file, 'utf8');
        for (const m of source.matchAll(/(?:require\(|from\s+|import\()\s*["']([^"']+)["']/g)) {
          specifiers.push(m[1]);
        }
      }
    }
  };
  walk(dist);
  expect(specifiers.length).toBeGreaterThan(10);
  expect(specifiers.filter((s) => !s.startsWith('.'))).toEqual([]);
});

test('resolves the demo from CommonJS and from an ES module alike', () => {
  const resolve = `resolver.resolveRequest('home', {
    query: new URLSearchParams('persona=developer&format=text'),
    headers: new Headers({ 'CF-IPCountry': 'DE' }),
  })`;
  fs.writeFileSync(
    path.join(app, 'cjs.js'),
    `const { createResolver } = require('strapi-mosaic-resolver');
const resolver = createResolver(require(${JSON.stringify(CASES)}).manifest);
console.log(JSON.stringify(${resolve}));`
  );
  fs.writeFileSync(
    path.join(app, 'esm.mjs'),
    `import fs from 'fs';
import { createResolver } from 'strapi-mosaic-resolver';
const resolver = createResolver(JSON.parse(fs.readFileSync(${JSON.stringify(CASES)}, 'utf8')).manifest);
console.log(JSON.stringify(${resolve}));`
  );
  const cjs = JSON.parse(run('cjs.js'));
  expect(cjs.meta).toMatchObject({ persona: 'developer', segments: ['dach-visitors'] });
  expect(cjs.data.slots[0].chunks[0].slug).toBe('hero-developer');
  expect(JSON.parse(run('esm.mjs'))).toEqual(cjs);
});

test('types a TypeScript consumer that has no zod: real types, no `any`', () => {
  const consumer = `import {
  createResolver,
  SUMMARY_HEADER,
  type Context,
  type Manifest,
  type ProfileSummary,
  type ResolvedAsset,
} from 'strapi-mosaic-resolver';

declare const manifest: Manifest;
const resolver = createResolver(manifest, { summaryKey: 'a-secret-of-at-least-32-characters!' });
const context: Context = { geo: { country: 'DE' }, device: { type: 'mobile' } };
const answer: ResolvedAsset | null = resolver.resolve('home', context, { format: 'html' });
const persona: string | null = answer ? answer.meta.persona : null;
const header: 'X-Mosaic-Summary' = SUMMARY_HEADER;
export async function edge(request: Request) {
  const verdict = await resolver.readSummary({ headers: request.headers });
  const summary: ProfileSummary | null = verdict?.ok ? verdict.summary : null;
  return [persona, header, summary?.segments.join(','), manifest.settings.defaultLocale];
}
// Each of these is a type error only if the types are real (not \`any\`):
// @ts-expect-error a device type is one of four
const wrongDevice: Context = { device: { type: 'fridge' } };
// @ts-expect-error a manifest's schema is 1
const wrongSchema: Manifest['schema'] = 2;
// @ts-expect-error the persona is a string or null
const wrongPersona: number = answer!.meta.persona;
// @ts-expect-error a summary's segments are strings
const wrongSegments: number[] = ({} as ProfileSummary).segments;
// @ts-expect-error no such format
resolver.resolve('home', {}, { format: 'pdf' });
export { wrongDevice, wrongSchema, wrongPersona, wrongSegments };
`;
  fs.writeFileSync(path.join(app, 'consumer.ts'), consumer);
  fs.writeFileSync(path.join(app, 'consumer.mts'), consumer);
  const tsc = require.resolve('typescript/bin/tsc');
  for (const [file, module, resolution] of [
    ['consumer.ts', 'commonjs', 'node10'],
    ['consumer.mts', 'nodenext', 'nodenext'],
  ]) {
    const config = `tsconfig.${module}.json`;
    fs.writeFileSync(
      path.join(app, config),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          target: 'ES2022',
          module,
          moduleResolution: resolution,
          lib: ['ES2022', 'DOM'],
          types: [],
        },
        files: [file],
      })
    );
    // No zod anywhere this consumer can see: it would fail to resolve and make types `any`.
    expect(fs.existsSync(path.join(app, 'node_modules/zod'))).toBe(false);
    try {
      execFileSync(process.execPath, [tsc, '-p', config], { cwd: app, encoding: 'utf8' });
    } catch (error) {
      throw new Error(`tsc ${file}:\n${(error as { stdout: string }).stdout}`);
    }
  }
});
