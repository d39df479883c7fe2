/**
 * The conformance suite against the server over HTTP, on this run's database: each case file's
 * content is seeded into a fresh playground, and every case's request is asked of
 * GET /api/mosaic/assets/:slug. A fresh database gives the content new ids and update times, which
 * the variant key and experiment buckets hash: those are held against the standalone resolver
 * over this server's own manifest (same `data`, same `meta`), everything else against the
 * recorded answer.
 */
import fs from 'fs';
import path from 'path';

import type { Core } from '@strapi/strapi';

import { createResolver, ResolverError, type Manifest, type Resolver } from '../../resolver/index';
import { bootStrapi } from './strapi';

/* eslint-disable @typescript-eslint/no-require-imports */
const { bootPlayground, fetchManifest, askServer } = require('../conformance/harness');
const { expectedOf, identityFree } = require('../conformance/answers');
/* eslint-enable @typescript-eslint/no-require-imports */

interface Case {
  name: string;
  slug: string;
  request: { query: Record<string, string>; headers: Record<string, string> };
  expected: { status: number };
}

const DIR = path.resolve(__dirname, '../conformance/cases');
const files: Array<{ name: string; content: unknown; cases: Case[] }> = fs
  .readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .map((f) => JSON.parse(fs.readFileSync(path.join(DIR, f), 'utf8')));

const plain = (value: unknown) => JSON.parse(JSON.stringify(value));

describe.each(files.map((file) => [file.name, file] as const))('%s', (name, file) => {
  let server: { strapi: Core.Strapi; baseUrl: string; token: string };
  let manifest: Manifest;
  let resolver: Resolver;

  beforeAll(async () => {
    server = await bootPlayground(bootStrapi, `conformance-${name}`, file.content);
    manifest = await fetchManifest(server);
    resolver = createResolver(manifest);
  }, 180_000);

  afterAll(async () => {
    await server?.strapi.destroy();
  });

  it('answers every case as recorded, and as the resolver over its manifest does', async () => {
    for (const c of file.cases) {
      const { status, body } = await askServer(server, c);
      const got = expectedOf(manifest, status, body);
      expect({ case: c.name, ...identityFree(got) }).toEqual({
        case: c.name,
        ...identityFree(c.expected),
      });

      let resolved = null;
      let resolverStatus = 200;
      try {
        resolved = resolver.resolveRequest(c.slug, c.request);
        if (!resolved) resolverStatus = 404;
      } catch (error) {
        if (!(error instanceof ResolverError)) throw error;
        resolverStatus = error.status;
      }
      expect({ case: c.name, status: resolverStatus }).toEqual({ case: c.name, status });
      if (status !== 200) continue;
      // The same bytes of data, and the same meta but for `counted` (a resolver counts nothing).
      expect({ case: c.name, data: plain(resolved!.data) }).toEqual({
        case: c.name,
        data: body.data,
      });
      const serverMeta = {
        ...body.meta,
        ...(body.meta.experiments
          ? { experiments: body.meta.experiments.map((e: object) => ({ ...e, counted: false })) }
          : {}),
      };
      expect({ case: c.name, meta: plain(resolved!.meta) }).toEqual({
        case: c.name,
        meta: serverMeta,
      });
    }
  });
});
