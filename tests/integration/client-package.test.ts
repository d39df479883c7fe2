/**
 * The client installs like a frontend developer installs it: `npm pack` the client/ workspace (its
 * `prepack` builds it), install the tarball into an empty project with the network off, and use
 * it from that project only, in child processes: `require` and `import()` each get their build,
 * the installed types check under Node's own module resolution for both, and nothing but the
 * client lands in node_modules. Needs no Strapi: it is here, not in the unit project, because
 * packing and installing take seconds.
 */
import { execFileSync, spawnSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';

import { npmAsUser } from './packages';

const CLIENT_DIR = path.resolve(__dirname, '../../client');
const TSC = path.resolve(__dirname, '../../node_modules/typescript/bin/tsc');
const NAME = 'strapi-mosaic-client';

interface Packed {
  filename: string;
  size: number;
  files: { path: string }[];
}

let tmp: string;
let app: string;
let packed: Packed;

/** Runs a script with node in the installed project; returns what it printed, parsed. */
function nodeIn(cwd: string, args: string[]): Record<string, unknown> {
  return JSON.parse(execFileSync(process.execPath, args, { cwd, encoding: 'utf8' }));
}

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mosaic-client-'));
  packed = JSON.parse(npmAsUser(['pack', '--json', '--pack-destination', tmp], CLIENT_DIR))[0];
  app = path.join(tmp, 'frontend');
  fs.mkdirSync(app);
  fs.writeFileSync(
    path.join(app, 'package.json'),
    JSON.stringify({ name: 'frontend', version: '1.0.0', private: true })
  );
  // --offline: a tarball without dependencies needs nothing from a registry.
  npmAsUser(
    ['install', '--offline', '--no-audit', '--no-fund', path.join(tmp, packed.filename)],
    app
  );
}, 180_000);

afterAll(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

test('the tarball holds the builds, their declarations and nothing else', () => {
  const files = packed.files.map((f) => f.path);
  expect(files.filter((f) => !f.startsWith('dist/')).sort()).toEqual(['README.md', 'package.json']);
  for (const build of ['esm', 'cjs']) {
    expect(files).toEqual(
      expect.arrayContaining([
        `dist/${build}/client/index.js`,
        `dist/${build}/client/index.d.ts`,
        `dist/${build}/client/wire-types.d.ts`,
        // The wire's shared facts (header and cookie names, the visitor id pattern) beside them.
        `dist/${build}/contracts/wire.js`,
        `dist/${build}/contracts/wire.d.ts`,
      ])
    );
  }
  // Nothing with zod in it: the contracts' schemas stay in the plugin.
  expect(files.filter((f) => /contracts\/(?!wire\.)/.test(f))).toEqual([]);
  // Edge runtimes have no Node built-ins: the JavaScript loads its own files and nothing else.
  for (const file of files.filter((f) => f.endsWith('.js'))) {
    const code = fs.readFileSync(path.join(app, 'node_modules', NAME, file), 'utf8');
    const loads = [
      ...code.matchAll(
        /\brequire\(\s*["']([^"']+)["']\s*\)|^\s*(?:import|export)\b[^'"]*?\bfrom\s*["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']/gm
      ),
    ].map((m) => m[1] ?? m[2] ?? m[3]);
    const outside = loads.filter(
      (spec) =>
        !spec.startsWith('.') || !files.includes(path.posix.join(path.posix.dirname(file), spec))
    );
    expect({ file, outside }).toEqual({ file, outside: [] });
    // Every load is one of those: no `require(name)` built from a variable.
    expect(code.match(/\brequire\(|\bimport\(/g)?.length ?? 0).toBeLessThanOrEqual(loads.length);
  }
});

test('installing it in an empty project installs zero dependencies', () => {
  const lock = JSON.parse(
    fs.readFileSync(path.join(app, 'node_modules/.package-lock.json'), 'utf8')
  );
  expect(Object.keys(lock.packages)).toEqual([`node_modules/${NAME}`]);
  const installed = fs
    .readdirSync(path.join(app, 'node_modules'))
    .filter((d) => !d.startsWith('.'));
  expect(installed).toEqual([NAME]);
});

// Resolves an asset through a fetch that answers like the server, to see the request it makes.
const USE = `
  const seen = [];
  const client = createMosaicClient({
    baseUrl: 'https://cms.example.com/',
    fetch: async (url) => { seen.push(String(url)); return new Response(JSON.stringify({ data: { slug: 'home' } })); },
  });
  const answer = await client.asset('home', { persona: 'developer' });
  const methods = ['asset', 'chunk', 'track', 'queue', 'setConsent'].filter((m) => typeof client[m] === 'function');
  console.log(JSON.stringify({ methods, seen, slug: answer.data.slug, file: RESOLVED }));
`;

const EXPECTED = {
  methods: ['asset', 'chunk', 'track', 'queue', 'setConsent'],
  seen: ['https://cms.example.com/api/mosaic/assets/home?persona=developer'],
  slug: 'home',
};

test('require() loads the CommonJS build', () => {
  const script = `
    const { createMosaicClient } = require('${NAME}');
    const RESOLVED = require.resolve('${NAME}');
    (async () => { ${USE} })();
  `;
  expect(nodeIn(app, ['-e', script])).toEqual({
    ...EXPECTED,
    file: path.join(fs.realpathSync(app), 'node_modules', NAME, 'dist/cjs/client/index.js'),
  });
});

test('import() loads the ES module build', () => {
  const script = `
    const { createMosaicClient } = await import('${NAME}');
    const RESOLVED = new URL(import.meta.resolve('${NAME}')).pathname;
    ${USE}
  `;
  expect(nodeIn(app, ['--input-type=module', '-e', script])).toEqual({
    ...EXPECTED,
    file: path.join(fs.realpathSync(app), 'node_modules', NAME, 'dist/esm/client/index.js'),
  });
});

test('its types resolve from the tarball alone, for import and for require', () => {
  fs.writeFileSync(
    path.join(app, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        module: 'node16',
        moduleResolution: 'node16',
        target: 'ES2022',
        lib: ['ES2022', 'DOM'],
        types: [],
        strict: true,
        noEmit: true,
      },
      files: ['page.mts', 'server.cts'],
    })
  );
  // @ts-expect-error fails the check if the types were missing and the import typed as any.
  const use = (client: string) => `
    const event: BehaviourEvent = { name: 'view', asset: 'home' };
    void ${client}.track(event);
    // @ts-expect-error a slug is a string
    void ${client}.asset(42);
  `;
  fs.writeFileSync(
    path.join(app, 'page.mts'),
    `import { createMosaicClient, type BehaviourEvent, type MosaicClient } from '${NAME}';
     const client: MosaicClient = createMosaicClient({ baseUrl: 'https://cms.example.com' });
     ${use('client')}`
  );
  fs.writeFileSync(
    path.join(app, 'server.cts'),
    `import mosaic = require('${NAME}');
     type BehaviourEvent = mosaic.BehaviourEvent;
     const client: mosaic.MosaicClient = mosaic.createMosaicClient({ baseUrl: 'https://cms.example.com' });
     ${use('client')}`
  );
  const check = spawnSync(process.execPath, [TSC, '-p', app], { cwd: app, encoding: 'utf8' });
  expect({ status: check.status, errors: check.stdout + check.stderr }).toEqual({
    status: 0,
    errors: '',
  });
});
