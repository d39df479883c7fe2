/** Stops the suite's server. */
module.exports = async () => {
  const server = globalThis.__MOSAIC_E2E__;
  if (!server || server.child.exitCode !== null) return;
  await new Promise((resolve) => {
    server.child.once('exit', resolve);
    server.child.kill('SIGTERM');
    setTimeout(() => server.child.exitCode === null && server.child.kill('SIGKILL'), 10000).unref();
  });
};
