/* global fetch, setTimeout */
/**
 * The browser suite's server: builds the playground's admin panel (with Mosaic's admin inside it)
 * and starts the playground the way production does (`strapi start`, no watcher, the built admin
 * served by Strapi) on a free port, a fresh database (SQLite, or DATABASE_CLIENT's) and the demo
 * seeded. One boot for the
 * whole suite: jest's globalSetup starts it, globalTeardown stops it.
 *
 * The demo seeds only outside NODE_ENV=production (see playground/src/index.js), so the server
 * runs with Node's default environment; everything else is the production path.
 * MOSAIC_E2E_REUSE_BUILD=true skips the admin build when one exists (for quick local reruns).
 */
const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const net = require('net');
const path = require('path');

const root = path.resolve(__dirname, '../..');
const appDir = path.join(root, 'playground');
const strapiBin = path.join(
  path.dirname(require.resolve('@strapi/strapi/package.json', { paths: [appDir] })),
  'bin',
  'strapi.js'
);
const database = path.join(appDir, '.tmp', 'e2e.db');
const { freshMysqlDatabase, freshPostgresSchema } = require(
  path.join(appDir, 'scripts', 'databases')
);

const baseEnv = () => ({
  ...process.env,
  STRAPI_TELEMETRY_DISABLED: 'true',
  BROWSER: 'none',
});

function buildAdmin() {
  if (!fs.existsSync(path.join(root, 'dist', 'admin', 'index.mjs'))) {
    throw new Error("The plugin is not built: run 'npm run build' first (npm run test:e2e does).");
  }
  if (
    process.env.MOSAIC_E2E_REUSE_BUILD === 'true' &&
    fs.existsSync(path.join(appDir, 'dist', 'build'))
  ) {
    return;
  }
  const result = spawnSync(process.execPath, [strapiBin, 'build', '--silent'], {
    cwd: appDir,
    env: { ...baseEnv(), NODE_ENV: 'production' },
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error(`strapi build failed (exit ${result.status})`);
}

/** A fresh database on the client the rest of the suite uses (SQLite unless DATABASE_CLIENT says). */
async function freshDatabase() {
  const client = process.env.DATABASE_CLIENT ?? 'sqlite';
  if (client === 'postgres') {
    await freshPostgresSchema('mosaic_e2e');
    return { DATABASE_SCHEMA: 'mosaic_e2e' };
  }
  if (client === 'mysql') {
    await freshMysqlDatabase('mosaic_e2e');
    return { DATABASE_NAME: 'mosaic_e2e' };
  }
  fs.mkdirSync(path.dirname(database), { recursive: true });
  for (const suffix of ['', '-wal', '-shm', '-journal'])
    fs.rmSync(`${database}${suffix}`, { force: true });
  return { DATABASE_FILENAME: database };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilUp(url, child, log, timeoutMs = 120000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Strapi exited (${child.exitCode}):\n${log()}`);
    try {
      const response = await fetch(`${url}/_health`);
      if (response.status === 204) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`Strapi did not answer on ${url} within ${timeoutMs / 1000}s:\n${log()}`);
}

async function startPlayground() {
  buildAdmin();
  const databaseEnv = await freshDatabase();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const output = [];
  const child = spawn(process.execPath, [strapiBin, 'start'], {
    cwd: appDir,
    env: {
      ...baseEnv(),
      HOST: '127.0.0.1',
      PORT: String(port),
      ...databaseEnv,
      MOSAIC_DEMO: 'true',
      CRON_ENABLED: 'false',
      MOSAIC_RATE_LIMIT: '100000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout, child.stderr]) {
    stream.on('data', (chunk) => {
      output.push(chunk.toString());
      if (output.length > 400) output.shift();
    });
  }
  await waitUntilUp(url, child, () => output.join(''));
  return { url, child, log: () => output.join('') };
}

module.exports = { startPlayground, freePort };
