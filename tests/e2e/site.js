/* global fetch, setTimeout */
/**
 * The example site (examples/next) for the browser suite: built once with `next build` (offline,
 * telemetry off) and started with `next start` on a free port, pointed at the suite's Strapi.
 * MOSAIC_E2E_REUSE_BUILD=true skips the build when one exists (for quick local reruns).
 */
const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const siteDir = path.resolve(__dirname, '../../examples/next');
const nextBin = require.resolve('next/dist/bin/next', { paths: [siteDir] });
const env = () => ({ ...process.env, NEXT_TELEMETRY_DISABLED: '1' });

function buildSite() {
  if (
    process.env.MOSAIC_E2E_REUSE_BUILD === 'true' &&
    fs.existsSync(path.join(siteDir, '.next', 'BUILD_ID'))
  ) {
    return;
  }
  const result = spawnSync(process.execPath, [nextBin, 'build'], {
    cwd: siteDir,
    env: { ...env(), NODE_ENV: 'production' },
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error(`next build failed (exit ${result.status})`);
}

/** `env`: more of the site's settings (e.g. `MOSAIC_RESOLVE: 'edge'`, see examples/next/lib/edge.ts). */
async function startSite({ port, strapiUrl, env: extra = {} }) {
  const url = `http://127.0.0.1:${port}`;
  const output = [];
  const child = spawn(
    process.execPath,
    [nextBin, 'start', '--port', String(port), '--hostname', '127.0.0.1'],
    {
      cwd: siteDir,
      env: { ...env(), NODE_ENV: 'production', STRAPI_URL: strapiUrl, ...extra },
      stdio: ['ignore', 'pipe', 'pipe'],
    }
  );
  for (const stream of [child.stdout, child.stderr]) {
    stream.on('data', (chunk) => {
      output.push(chunk.toString());
      if (output.length > 200) output.shift();
    });
  }
  const deadline = Date.now() + 60000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`next start exited:\n${output.join('')}`);
    try {
      if ((await fetch(`${url}/signup`)).status === 200) return { url, child };
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new Error(`The site did not answer on ${url}:\n${output.join('')}`);
}

module.exports = { buildSite, startSite };
