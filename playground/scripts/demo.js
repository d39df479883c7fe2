#!/usr/bin/env node
/** `npm run demo`: the playground in development mode with the demo seeded (see src/index.js). */
const { spawn } = require('child_process');
const path = require('path');

const child = spawn('npx', ['strapi', 'develop', '--no-watch-admin'], {
  cwd: path.resolve(__dirname, '..'),
  stdio: 'inherit',
  env: { ...process.env, MOSAIC_DEMO: 'true', STRAPI_TELEMETRY_DISABLED: 'true' },
});
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
