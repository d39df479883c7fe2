/**
 * The browser suite's database, read directly (what was stored, not what an API says): the SQLite
 * file, PostgreSQL schema or MariaDB database that playground.js gave the suite's server.
 */
const knex = require('knex');
const path = require('path');

const { connect } = require('../../playground/scripts/databases');

const E2E = 'mosaic_e2e';

function connectE2eDatabase() {
  const client = process.env.DATABASE_CLIENT ?? 'sqlite';
  if (client === 'postgres') return connect('postgres', { schema: E2E });
  if (client === 'mysql') return connect('mysql', { database: E2E });
  return knex({
    client: 'better-sqlite3',
    connection: { filename: path.resolve(__dirname, '../../playground/.tmp/e2e.db') },
    useNullAsDefault: true,
  });
}

module.exports = { connectE2eDatabase };
