/**
 * Boots the playground Strapi app with Mosaic inside jest, on a fresh database: SQLite by default,
 * or the PostgreSQL / MariaDB of this machine when DATABASE_CLIENT says so.
 */
import fs from 'fs';
import path from 'path';

import { createStrapi, type Core } from '@strapi/strapi';

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
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const knex = require('knex');
  if (client === 'postgres') {
    const db = knex({
      client: 'pg',
      connection: {
        host: process.env.DATABASE_HOST ?? '127.0.0.1',
        port: Number(process.env.DATABASE_PORT ?? 5432),
        user: process.env.DATABASE_USERNAME ?? 'postgres',
        password: process.env.DATABASE_PASSWORD ?? '',
        database: process.env.DATABASE_NAME ?? 'test',
      },
    });
    const schema = `mosaic_${name}`;
    await db.raw(`DROP SCHEMA IF EXISTS ?? CASCADE`, [schema]);
    await db.raw(`CREATE SCHEMA ??`, [schema]);
    await db.destroy();
    process.env.DATABASE_SCHEMA = schema;
    return;
  }
  const db = knex({
    client: 'mysql2',
    connection: {
      host: process.env.DATABASE_HOST ?? '127.0.0.1',
      port: Number(process.env.DATABASE_PORT ?? 3306),
      user: process.env.DATABASE_USERNAME ?? 'root',
      password: process.env.DATABASE_PASSWORD ?? '',
    },
  });
  const database = `mosaic_${name}`;
  await db.raw('DROP DATABASE IF EXISTS ??', [database]);
  await db.raw('CREATE DATABASE ?? CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci', [database]);
  await db.destroy();
  process.env.DATABASE_NAME = database;
}

/** Boots a Strapi with Mosaic on a fresh database named after the test file. */
export async function bootStrapi(name: string): Promise<Core.Strapi> {
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
  }).load();
  if (!strapi.plugin('mosaic')) throw new Error('Mosaic did not load: is dist/server built?');
  strapi.server.mount();
  // One listening socket for the whole file; supertest would otherwise open one per request.
  await new Promise<void>((resolve) => strapi.server.httpServer.listen(0, '127.0.0.1', resolve));
  strapi.log.level = 'error';
  return strapi;
}
