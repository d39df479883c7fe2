/**
 * Boots the playground Strapi app with Mosaic inside jest, on a fresh database: SQLite by default,
 * or the PostgreSQL / MariaDB of this machine when DATABASE_CLIENT says so.
 */
import fs from 'fs';
import path from 'path';

import { createStrapi, type Core } from '@strapi/strapi';

import { freshMysqlDatabase, freshPostgresSchema } from '../../playground/scripts/databases';

const appDir = path.resolve(__dirname, '../../playground');
const distDir = path.join(appDir, 'dist');

async function freshDatabase(name: string) {
  const client = process.env.DATABASE_CLIENT ?? 'sqlite';
  if (client === 'sqlite') {
    const file = path.join(appDir, '.tmp', `test-${name}.db`);
    fs.rmSync(file, { force: true });
    process.env.DATABASE_FILENAME = file;
    return;
  }
  if (client === 'postgres') {
    process.env.DATABASE_SCHEMA = `mosaic_${name}`;
    await freshPostgresSchema(process.env.DATABASE_SCHEMA);
    return;
  }
  process.env.DATABASE_NAME = `mosaic_${name}`;
  await freshMysqlDatabase(process.env.DATABASE_NAME);
}

/**
 * Boots a Strapi with Mosaic on a fresh database named after the test file. `beforeBootstrap`
 * runs after every register, before the database schema is built (e.g. to add an app's field).
 */
export async function bootStrapi(
  name: string,
  beforeBootstrap?: (strapi: Core.Strapi) => void
): Promise<Core.Strapi> {
  await freshDatabase(name.replace(/[^a-z0-9]/gi, '_').toLowerCase());
  process.env.CRON_ENABLED = 'false';
  // The suites send bursts from one address on purpose; the limit itself has its own test.
  process.env.MOSAIC_RATE_LIMIT = '100000';
  process.env.STRAPI_TELEMETRY_DISABLED = 'true';
  process.env.STRAPI_DISABLE_UPDATE_NOTIFICATION = 'true';
  const strapi = await createStrapi({
    appDir,
    distDir,
    autoReload: false,
    serveAdminPanel: false,
  }).register();
  beforeBootstrap?.(strapi);
  await strapi.bootstrap();
  strapi.isLoaded = true;
  if (!strapi.plugin('mosaic')) throw new Error('Mosaic did not load: is dist/server built?');
  strapi.server.mount();
  // One listening socket for the whole file; supertest would otherwise open one per request.
  await new Promise<void>((resolve) => strapi.server.httpServer.listen(0, '127.0.0.1', resolve));
  strapi.log.level = 'error';
  return strapi;
}

/** A published English chunk whose body is one paragraph of its slug: its documentId. */
export async function publishedChunk(strapi: Core.Strapi, slug: string): Promise<string> {
  const created = await strapi.documents('plugin::mosaic.chunk').create({
    locale: 'en',
    status: 'published',
    data: {
      slug,
      title: slug,
      body: [{ type: 'paragraph', children: [{ type: 'text', text: slug }] }],
    },
  } as never);
  return created.documentId as string;
}
