/**
 * The architecture's import boundaries, as `npm run lint` enforces them (eslint.config.mjs): each
 * forbidden import is refused where it is forbidden, and allowed where it is not. ESLint runs in
 * a child process: its config is an ES module, which jest's module system does not load.
 */
import { execFileSync } from 'child_process';
import path from 'path';

const root = path.resolve(__dirname, '../..');

type Probe = [file: string, code: string];

/** For each probe, the `no-restricted-imports` messages of its code as the file it names. */
function refusals(probes: Probe[]): string[][] {
  const script = `
    const { ESLint } = require('eslint');
    const eslint = new ESLint({ cwd: ${JSON.stringify(root)} });
    (async () => {
      const out = [];
      for (const [file, code] of ${JSON.stringify(probes)}) {
        const [result] = await eslint.lintText(code + '\\nexport {};\\n', { filePath: file });
        out.push(result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message));
      }
      console.log(JSON.stringify(out));
    })();
  `;
  return JSON.parse(
    execFileSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' })
  );
}

const core = 'server/src/core/probe.ts';
const CASES: Array<{ probe: Probe; refused: string | null }> = [
  { probe: [core, "import '@strapi/utils';"], refused: 'no Strapi' },
  { probe: [core, "import type { Context } from 'koa';"], refused: 'no koa' },
  { probe: [core, "import '../services/cache';"], refused: 'no services or controllers' },
  { probe: [core, "import '../controllers/visitor';"], refused: 'no services or controllers' },
  { probe: [core, "import '../../../playground/src/demo/seed';"], refused: 'never imports it' },
  { probe: [core, "import '../../../contracts/context';"], refused: null },
  { probe: ['server/src/services/probe.ts', "import '@strapi/utils';"], refused: null },
  { probe: ['contracts/probe.ts', "import '../server/src/core/types';"], refused: 'contracts/' },
  { probe: ['contracts/probe.ts', "import './wire';"], refused: null },
  { probe: ['admin/src/probe.ts', "import '../../server/src/utils';"], refused: 'contracts/' },
  { probe: ['admin/src/probe.ts', "import '../../contracts/wire';"], refused: null },
  { probe: ['client/probe.ts', "import '../server/src/index';"], refused: 'contracts/' },
  { probe: ['client/probe.ts', "import '../contracts/wire';"], refused: null },
];

describe('import boundaries', () => {
  const results = refusals(CASES.map((c) => c.probe));

  it.each(CASES.map((c, i) => [c.probe[0], c.probe[1], c.refused ?? 'allowed', i] as const))(
    'in %s, %s → %s',
    (_file, _code, refused, i) => {
      if (refused === 'allowed') expect(results[i]).toEqual([]);
      else expect(results[i].join(' ')).toContain(refused);
    }
  );
});
