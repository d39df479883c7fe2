#!/usr/bin/env node
/* global fetch, setTimeout, clearTimeout */
/**
 * `npm run demo`: the playground in development mode with the demo seeded (see src/index.js), then
 * the example Next.js site (examples/next, built by `npm run demo` beforehand) on Mosaic. Prints
 * both addresses once both answer; Ctrl-C stops both. `PORT` (Strapi, default 1337) and `SITE_PORT`
 * (the site, default 3000) change the ports.
 */
const { spawn } = require('child_process');
const path = require('path');

const strapiPort = process.env.PORT ?? '1337';
const sitePort = process.env.SITE_PORT ?? '3000';
const strapiUrl = `http://localhost:${strapiPort}`;
const siteUrl = `http://localhost:${sitePort}`;
const appDir = path.resolve(__dirname, '..');
const siteDir = path.resolve(__dirname, '..', '..', 'examples', 'next');
const bin = (pkg, file, dir) =>
  path.join(path.dirname(require.resolve(`${pkg}/package.json`, { paths: [dir] })), file);
const admin = {
  email: process.env.MOSAIC_DEMO_EMAIL || 'admin@mosaic.local',
  password: process.env.MOSAIC_DEMO_PASSWORD || 'Mosaic-demo-1',
};
const children = [];

/** Each server in a process group of its own: Ctrl-C reaches this script, which stops them. */
function start(args, options) {
  const child = spawn(process.execPath, args, { stdio: 'inherit', detached: true, ...options });
  children.push(child);
  child.on('exit', (code, signal) => stopAll(signal ? 1 : (code ?? 0)));
  return child;
}

let stopping = false;
const running = (child) => child.exitCode === null && child.signalCode === null;
function stopAll(code) {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (running(child)) child.kill('SIGTERM');
  // A server that does not stop in time is stopped with its workers (its process group).
  const force = setTimeout(() => {
    for (const child of children) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // That group has ended already.
      }
    }
  }, 15000);
  Promise.all(
    children.map((child) => running(child) && new Promise((r) => child.on('exit', r)))
  ).then(() => {
    clearTimeout(force);
    process.exit(code);
  });
}
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => stopAll(0));

async function waitFor(url, test) {
  for (;;) {
    try {
      if (test(await fetch(url))) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

async function main() {
  start([bin('@strapi/strapi', 'bin/strapi.js', appDir), 'develop', '--no-watch-admin'], {
    cwd: appDir,
    env: {
      ...process.env,
      PORT: strapiPort,
      MOSAIC_DEMO: 'true',
      STRAPI_TELEMETRY_DISABLED: 'true',
      // The site calls Mosaic from its visitors' browsers (events) and shows in the preview.
      CORS_ORIGINS: process.env.CORS_ORIGINS ?? [strapiUrl, siteUrl].join(','),
      MOSAIC_SITE_URL: process.env.MOSAIC_SITE_URL ?? siteUrl,
    },
  });
  await waitFor(`${strapiUrl}/_health`, (response) => response.status === 204);
  start([bin('next', 'dist/bin/next', siteDir), 'start', '--port', sitePort], {
    cwd: siteDir,
    env: { ...process.env, STRAPI_URL: strapiUrl, NEXT_TELEMETRY_DISABLED: '1' },
  });
  await waitFor(`${siteUrl}/signup`, (response) => response.ok);
  console.log(
    [
      '',
      '  Mosaic demo: both are up',
      `  Strapi:  ${strapiUrl}/admin   (${admin.email} / ${admin.password})`,
      `  Site:    ${siteUrl}   (the home page; ${siteUrl}/email is the welcome email)`,
      '  Ctrl-C stops both.',
      '',
    ].join('\n')
  );
}

main().catch((error) => {
  console.error(error);
  stopAll(1);
});
