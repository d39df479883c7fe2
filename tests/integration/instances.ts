/**
 * Playground processes for the tests of many instances (instances.test.ts, profile-cache.test.ts):
 * each runs tests/integration/instance.js on a PostgreSQL schema of the `test` database, on a free
 * port, and is ready once its health check answers.
 */
import { spawn, type ChildProcess } from 'child_process';
import net from 'net';
import path from 'path';

import request from 'supertest';

export const PG_CONNECTION = { host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test' };

export interface Instance {
  url: string;
  child: ChildProcess;
  /** What it printed so far. */
  log: string;
}

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Starts one on `schema` with `env` over the defaults (development, no cron, no telemetry). */
export async function startInstance(
  schema: string,
  env: Record<string, string>
): Promise<Instance> {
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(__dirname, 'instance.js')], {
    env: {
      ...process.env,
      DATABASE_CLIENT: 'postgres',
      DATABASE_HOST: PG_CONNECTION.host,
      DATABASE_PORT: String(PG_CONNECTION.port),
      DATABASE_NAME: PG_CONNECTION.database,
      DATABASE_USERNAME: PG_CONNECTION.user,
      DATABASE_SCHEMA: schema,
      ...env,
      HOST: '127.0.0.1',
      PORT: String(port),
      NODE_ENV: 'development',
      CRON_ENABLED: 'false',
      STRAPI_TELEMETRY_DISABLED: 'true',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const instance: Instance = { url: `http://127.0.0.1:${port}`, child, log: '' };
  child.stdout!.on('data', (chunk: Buffer) => (instance.log += chunk.toString()));
  for (let attempt = 0; attempt < 480; attempt += 1) {
    const ok = await request(instance.url)
      .get('/_health')
      .then((res) => res.status === 204)
      .catch(() => false);
    if (ok) return instance;
    if (child.exitCode !== null) {
      throw new Error(`instance on ${port} exited with ${child.exitCode}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`instance on ${port} did not start`);
}
