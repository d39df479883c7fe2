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
