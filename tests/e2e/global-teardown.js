/* global setTimeout */
/** Stops the suite's site and server. */
async function stop(child) {
  if (!child || child.exitCode !== null) return;
  await new Promise((resolve) => {
    child.once('exit', resolve);
    child.kill('SIGTERM');
    setTimeout(() => child.exitCode === null && child.kill('SIGKILL'), 10000).unref();
  });
}

module.exports = async () => {
  await stop(globalThis.__MOSAIC_E2E_SITE__?.child);
  await stop(globalThis.__MOSAIC_E2E__?.child);
};
