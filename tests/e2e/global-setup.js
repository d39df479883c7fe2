/**
 * Starts one playground server for the whole browser suite; its address goes to the tests.
 * MOSAIC_E2E_URL set beforehand runs the suite against a server already running (with the demo).
 */
const { startPlayground } = require('./playground');

module.exports = async () => {
  if (process.env.MOSAIC_E2E_URL) return;
  const server = await startPlayground();
  globalThis.__MOSAIC_E2E__ = server;
  process.env.MOSAIC_E2E_URL = server.url;
};
