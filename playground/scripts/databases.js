/**
 * Fresh schemas on the machine's PostgreSQL and MariaDB, for the tools that boot the playground
 * on a clean database (integration tests, benchmarks). Same variables and defaults as
 * config/database.js.
 */
const knex = require('knex');

/**
 * A connection to the machine's PostgreSQL or MariaDB: `schema` (PostgreSQL) or `database`
 * (MariaDB) says where to read, when the caller reads tables rather than managing them.
 */
function connect(client, { schema, database } = {}) {
  const env = process.env;
  if (client === 'postgres') {
    return knex({
      client: 'pg',
      ...(schema ? { searchPath: [schema] } : {}),
      connection: {
        host: env.DATABASE_HOST ?? '127.0.0.1',
        port: Number(env.DATABASE_PORT ?? 5432),
        user: env.DATABASE_USERNAME ?? 'postgres',
        password: env.DATABASE_PASSWORD ?? '',
        database: env.DATABASE_NAME ?? 'test',
      },
    });
  }
  return knex({
    client: 'mysql2',
    connection: {
      host: env.DATABASE_HOST ?? '127.0.0.1',
      port: Number(env.DATABASE_PORT ?? 3306),
      user: env.DATABASE_USERNAME ?? 'root',
      password: env.DATABASE_PASSWORD ?? '',
      ...(database ? { database } : {}),
    },
  });
}

async function withConnection(client, work) {
  const db = connect(client);
  try {
    await work(db);
  } finally {
    await db.destroy();
  }
}

/** Drops and recreates a PostgreSQL schema (use it with DATABASE_SCHEMA). */
const freshPostgresSchema = (schema) =>
  withConnection('postgres', async (db) => {
    await db.raw('DROP SCHEMA IF EXISTS ?? CASCADE', [schema]);
    await db.raw('CREATE SCHEMA ??', [schema]);
  });

const dropPostgresSchema = (schema) =>
  withConnection('postgres', (db) => db.raw('DROP SCHEMA IF EXISTS ?? CASCADE', [schema]));

/** Drops and recreates a MariaDB database (use it with DATABASE_NAME). */
const freshMysqlDatabase = (database) =>
  withConnection('mysql', async (db) => {
    await db.raw('DROP DATABASE IF EXISTS ??', [database]);
    await db.raw('CREATE DATABASE ?? CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci', [database]);
  });

module.exports = { connect, freshPostgresSchema, dropPostgresSchema, freshMysqlDatabase };
