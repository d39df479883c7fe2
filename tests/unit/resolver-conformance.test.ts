/**
 * The conformance suite against the standalone resolver, in process: for every checked-in case
 * (tests/conformance/cases, recorded from the server by generate.js), the resolver given the
 * case's manifest and request gives the server's answer — chosen chunks, variant key, segments,
 * persona, experiment buckets, warnings — or refuses it with the server's status.
 */
import fs from 'fs';
import path from 'path';

import { createResolver, ResolverError, type Manifest } from '../../resolver/index';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { expectedOf } = require('../conformance/answers');

interface CaseFile {
  suite: string;
  schema: number;
  name: string;
  generatedAt: string;
  manifest: Manifest;
  cases: Array<{
    name: string;
    slug: string;
    request: { query: Record<string, string>; headers: Record<string, string> };
    expected: { status: number };
  }>;
}

const DIR = path.resolve(__dirname, '../conformance/cases');
const files: CaseFile[] = fs
  .readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .map((f) => JSON.parse(fs.readFileSync(path.join(DIR, f), 'utf8')));

it('has case files of the suite schema it reads, with answered and refused requests', () => {
  expect(files.map((f) => f.name).sort()).toEqual(['generated', 'playground-demo']);
  for (const file of files) expect([file.suite, file.schema]).toEqual(['mosaic-conformance', 1]);
  const statuses = new Set(files.flatMap((f) => f.cases.map((c) => c.expected.status)));
  expect([...statuses].sort()).toEqual([200, 400, 404]);
});

describe.each(files.map((file) => [file.name, file] as const))('%s', (_, file) => {
  const resolver = createResolver(file.manifest);
  const now = new Date(file.generatedAt);

  it.each(file.cases.map((c) => [c.name, c] as const))('%s', (__, { slug, request, expected }) => {
    let status = 200;
    let answer = null;
    try {
      answer = resolver.resolveRequest(slug, { ...request, now });
      if (!answer) status = 404;
    } catch (error) {
      if (!(error instanceof ResolverError)) throw error;
      status = error.status;
    }
    expect(expectedOf(file.manifest, status, answer)).toEqual(expected);
  });
});
