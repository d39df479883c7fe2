/**
 * The browser suite's database, read directly (what was stored, not what an API says): the SQLite
 * file, PostgreSQL schema or MariaDB database that playground.js gave the suite's server.
 */
const knex = require('knex');
const path = require('path');

function connectE2eDatabase() {
  const env = process.env;
  const client = env.DATABASE_CLIENT ?? 'sqlite';
  if (client === 'postgres') {
    return knex({
      client: 'pg',
      searchPath: ['mosaic_e2e'],
      connection: {
        host: env.DATABASE_HOST ?? '127.0.0.1',
        port: Number(env.DATABASE_PORT ?? 5432),
        user: env.DATABASE_USERNAME ?? 'postgres',
        password: env.DATABASE_PASSWORD ?? '',
        database: env.DATABASE_NAME ?? 'test',
      },
    });
  }
  if (client === 'mysql') {
    return knex({
      client: 'mysql2',
      connection: {
        host: env.DATABASE_HOST ?? '127.0.0.1',
        port: Number(env.DATABASE_PORT ?? 3306),
        user: env.DATABASE_USERNAME ?? 'root',
        password: env.DATABASE_PASSWORD ?? '',
        database: 'mosaic_e2e',
      },
    });
  }
  return knex({
    client: 'better-sqlite3',
    connection: { filename: path.resolve(__dirname, '../../playground/.tmp/e2e.db') },
    useNullAsDefault: true,
  });
}

module.exports = { connectE2eDatabase };
