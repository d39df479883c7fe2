/**
 * What every benchmark here shares: timing statistics, a description of the machine the figures
 * came from, loading the plugin's TypeScript core without a build, and recording a section of
 * RESULTS.md. Figures are only ever printed and recorded; nothing here asserts a timing.
 */
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const ROOT = path.resolve(__dirname, '..', '..');

/** Mean and percentiles of a list of numbers, in the unit they were given in. */
function summarize(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  // Nearest-rank percentile: p99 of 100 samples is the 99th, not an interpolation.
  const at = (p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
  const mean = sorted.reduce((sum, x) => sum + x, 0) / sorted.length;
  return { n: sorted.length, mean, p50: at(50), p99: at(99), min: sorted[0], max: at(100) };
}

/** Milliseconds elapsed since `start` (a `process.hrtime.bigint()`), as a float. */
function msSince(start) {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** What `nproc` prints (the CPUs this process may use, not the host's total). */
function nproc() {
  try {
    return Number(execFileSync('nproc', { encoding: 'utf8' }).trim());
  } catch {
    return os.availableParallelism();
  }
}

function machine() {
  const cpuinfo = fs.existsSync('/proc/cpuinfo') ? fs.readFileSync('/proc/cpuinfo', 'utf8') : '';
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model ?? 'unknown';
  return {
    nproc: nproc(),
    cpu: model.trim(),
    memory: `${Math.round(os.totalmem() / 2 ** 30)} GiB`,
    node: process.version,
    os: `${os.type()} ${os.release()}`,
  };
}

/**
 * Lets `require` load the plugin's TypeScript sources under server/src/core, transpiled on the
 * fly with the project's own `typescript`: the benchmark then measures the code as it is in the
 * working tree, not whatever dist/ was last built from. Type errors are tsc's job, not ours.
 */
function loadCoreSources() {
  // Required when used, as Prettier below: the HTTP benchmark's server process needs neither.
  const ts = require('typescript');
  const coreDir = path.join(ROOT, 'server', 'src', 'core') + path.sep;
  const previous = require.extensions['.ts'];
  require.extensions['.ts'] = (module, filename) => {
    if (!filename.startsWith(coreDir)) {
      if (previous) return previous(module, filename);
      throw new Error(`bench: only server/src/core is loaded from source, not ${filename}`);
    }
    const { outputText } = ts.transpileModule(fs.readFileSync(filename, 'utf8'), {
      fileName: filename,
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
    });
    module._compile(outputText, filename);
  };
  return (name) => require(path.join(coreDir, `${name}.ts`));
}

/**
 * Writes `body` as the section `## title` of RESULTS.md, replacing that section if it is there
 * and leaving every other section (other benchmarks record theirs here too) as it was. Formatted
 * with the project's Prettier settings, so that `npm run lint` stays clean after a run.
 */
async function recordSection(file, title, body) {
  const prettier = require('prettier');
  const heading = `## ${title}`;
  const existing = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# Benchmark results\n';
  const lines = existing.split('\n');
  const section = [heading, '', ...body.trim().split('\n'), ''];
  const start = lines.indexOf(heading);
  let text;
  if (start === -1) {
    text = `${existing.trimEnd()}\n\n${section.join('\n')}`;
  } else {
    let end = lines.findIndex((line, i) => i > start && line.startsWith('## '));
    if (end === -1) end = lines.length;
    text = [...lines.slice(0, start), ...section, ...lines.slice(end)].join('\n');
  }
  const options = (await prettier.resolveConfig(file)) ?? {};
  // Prose re-wrapped to the print width: the figures interpolated above leave ragged lines.
  const formatted = await prettier.format(text, {
    ...options,
    proseWrap: 'always',
    filepath: file,
  });
  fs.writeFileSync(file, formatted);
}

/**
 * Files newer than the plugin build: Strapi loads Mosaic from dist/, so the figures would not be
 * for the working tree.
 */
function staleBuild() {
  const built = path.join(ROOT, 'dist', 'server', 'index.js');
  if (!fs.existsSync(built)) return [];
  const builtAt = fs.statSync(built).mtimeMs;
  const newer = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (fs.statSync(file).mtimeMs > builtAt) newer.push(path.relative(ROOT, file));
    }
  };
  walk(path.join(ROOT, 'server', 'src'));
  walk(path.join(ROOT, 'content-types'));
  return newer;
}

/** How this run was started. Through npm, both: the script to rerun it, the node command it ran. */
function commandLines() {
  const script = ['node', ...process.argv.slice(1).map((arg) => path.relative(ROOT, arg) || arg)];
  const npmScript = process.env.npm_lifecycle_event;
  return [...(npmScript ? [`npm run ${npmScript}`] : []), script.join(' ')];
}

/** Now, to the second, as RESULTS.md dates its sections. */
const timestamp = () => new Date().toISOString().replace('T', ' ').replace(/\..*/, ' UTC');

/** The 1-minute load average: on a shared machine, whether other work competed for the CPUs. */
function load() {
  return os.loadavg()[0];
}

/** A markdown table from a header row and rows of cells. */
function table(header, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

const fmt = (x, digits = 1) =>
  x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** A small seeded PRNG (mulberry32): the same library and contexts on every run. */
function random(seed) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  next.int = (n) => Math.floor(next() * n);
  next.pick = (list) => list[next.int(list.length)];
  return next;
}

module.exports = {
  ROOT,
  summarize,
  msSince,
  machine,
  load,
  loadCoreSources,
  recordSection,
  staleBuild,
  commandLines,
  timestamp,
  table,
  fmt,
  random,
};
