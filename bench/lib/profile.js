/**
 * Reads a V8 CPU profile of the benchmark server (`Profiler.stop`, the `.cpuprofile` DevTools
 * opens) and says what costs the time: self time by where the code comes from (Mosaic, each
 * Strapi package, koa, knex, the logger, Node itself, the garbage collector), the share of time
 * spent under Mosaic's own functions (them and everything they call), and the costliest functions.
 */
const fs = require('fs');
const path = require('path');

const { ROOT, fmt, table } = require('./measure');

const MOSAIC = path.join(ROOT, 'dist', 'server') + path.sep;
const PLAYGROUND = path.join(ROOT, 'playground') + path.sep;
const MOSAIC_ORIGIN = 'Mosaic (dist/server)';

const SPECIAL = {
  '(garbage collector)': 'garbage collector',
  '(idle)': 'idle',
  '(program)': 'V8 (compiler, runtime)',
  '(root)': 'V8 (compiler, runtime)',
};

/** Where a JavaScript frame's code comes from, in words a reader of the table knows. */
function codeOriginOf(url) {
  const file = url.startsWith('file://') ? decodeURIComponent(url.slice('file://'.length)) : url;
  if (file.startsWith('node:')) return 'Node.js';
  const modules = file.lastIndexOf(`node_modules${path.sep}`);
  if (modules !== -1) {
    const parts = file.slice(modules + 'node_modules/'.length).split(path.sep);
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  if (file.startsWith(MOSAIC)) return MOSAIC_ORIGIN;
  if (file.startsWith(PLAYGROUND)) return 'playground';
  return path.relative(ROOT, file);
}

/**
 * Origins of every node of a profile. Native frames (V8 built-ins such as JSON.stringify, Node's
 * socket writes, SQLite's statements) have no file: they are named after the JavaScript that
 * called them, which is what a reader can change.
 */
function originsOf(nodes, parent) {
  const code = new Map();
  const codeOf = (id) => {
    if (code.has(id)) return code.get(id);
    const { url } = nodes.get(id).callFrame;
    const answer = url ? codeOriginOf(url) : parent.has(id) ? codeOf(parent.get(id)) : null;
    code.set(id, answer);
    return answer;
  };
  return (id) => {
    const { callFrame } = nodes.get(id);
    if (SPECIAL[callFrame.functionName] && !callFrame.url) return SPECIAL[callFrame.functionName];
    if (callFrame.url) return codeOriginOf(callFrame.url);
    const caller = parent.has(id) ? codeOf(parent.get(id)) : null;
    return caller ? `native, called by ${caller}` : 'native';
  };
}

/**
 * Names Mosaic's frames after the service or controller they belong to: the bundle in dist/server
 * has no source map, and `asset` alone could be the delivery service's or the controller's. A
 * factory runs from its `const name = ({ strapi }) =>` line to the next top-level statement.
 */
function mosaicParts() {
  const file = path.join(MOSAIC, 'index.js');
  const lines = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n') : [];
  const labels = new Map();
  for (const line of lines) {
    const registry = /^const (services|controllers) = \{(.*)\};$/.exec(line);
    if (!registry) continue;
    const kind = registry[1] === 'services' ? 'service' : 'controller';
    for (const entry of registry[2].split(',')) {
      const [key, ident = key] = entry.split(':').map((part) => part.trim().replace(/"/g, ''));
      labels.set(ident, `${key} ${kind}`);
    }
  }
  const parts = [];
  lines.forEach((line, i) => {
    const open = parts[parts.length - 1];
    const topLevel = /^(const|let|var|function|async function|class) /.test(line);
    if (topLevel && open && open.to === lines.length) open.to = i;
    const factory = /^const ([\w$]+) = \(\{ strapi/.exec(line);
    if (factory && labels.has(factory[1])) {
      parts.push({ from: i + 1, to: lines.length, label: labels.get(factory[1]) });
    }
  });
  return (line) => parts.find((part) => part.from <= line && line <= part.to)?.label ?? null;
}

function frameNamer() {
  const partOf = mosaicParts();
  return (callFrame) => {
    const name = callFrame.functionName || '(anonymous)';
    if (!callFrame.url) return name;
    const line = callFrame.lineNumber + 1;
    const file = path.relative(ROOT, callFrame.url.replace(/^file:\/\//, ''));
    const part = codeOriginOf(callFrame.url) === MOSAIC_ORIGIN ? partOf(line) : null;
    return part ? `${name} (${part}, ${file}:${line})` : `${name} (${file}:${line})`;
  };
}

function summarizeProfile(profile) {
  const frameName = frameNamer();
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map();
  for (const node of profile.nodes) {
    for (const child of node.children ?? []) parent.set(child, node.id);
  }

  const originOf = originsOf(nodes, parent);

  // The Mosaic functions on a node's stack (itself and its callers), memoised up the tree: what
  // runs "under" Mosaic, and how much each of its functions costs with everything it calls.
  const mosaicStack = new Map();
  const mosaicFramesOf = (id) => {
    if (mosaicStack.has(id)) return mosaicStack.get(id);
    const { callFrame } = nodes.get(id);
    const above = parent.has(id) ? mosaicFramesOf(parent.get(id)) : [];
    const own =
      callFrame.url && codeOriginOf(callFrame.url) === MOSAIC_ORIGIN ? [frameName(callFrame)] : [];
    const frames = own.length && !above.includes(own[0]) ? [...above, ...own] : above;
    mosaicStack.set(id, frames);
    return frames;
  };

  // A sample stands for the time until the next one.
  const selfUs = new Map();
  const { samples, timeDeltas } = profile;
  for (let i = 0; i < samples.length; i++) {
    const us = timeDeltas[i + 1] ?? 0;
    selfUs.set(samples[i], (selfUs.get(samples[i]) ?? 0) + us);
  }

  let total = 0;
  let idle = 0;
  let mosaic = 0;
  const byOrigin = new Map();
  const byFunction = new Map();
  const mosaicInclusive = new Map();
  for (const [id, us] of selfUs) {
    const { callFrame } = nodes.get(id);
    const origin = originOf(id);
    total += us;
    if (origin === 'idle') {
      idle += us;
      continue;
    }
    const frames = mosaicFramesOf(id);
    if (frames.length) mosaic += us;
    for (const frame of frames) mosaicInclusive.set(frame, (mosaicInclusive.get(frame) ?? 0) + us);
    byOrigin.set(origin, (byOrigin.get(origin) ?? 0) + us);
    const name = frameName(callFrame);
    const entry = byFunction.get(name) ?? { name, origin, us: 0 };
    entry.us += us;
    byFunction.set(name, entry);
  }
  const busy = total - idle;
  const sorted = (map) => [...map.entries()].sort((a, b) => b[1] - a[1]);
  return {
    totalMs: total / 1000,
    busyMs: busy / 1000,
    busyShare: busy / total,
    mosaicShare: mosaic / busy,
    origins: sorted(byOrigin).map(([origin, us]) => ({ origin, share: us / busy })),
    functions: [...byFunction.values()]
      .sort((a, b) => b.us - a.us)
      .map((f) => ({ ...f, share: f.us / busy })),
    mosaicFunctions: sorted(mosaicInclusive).map(([name, us]) => ({ name, share: us / busy })),
  };
}

const percent = (share) => `${fmt(share * 100, 1)} %`;

/** Self time by origin, one column per profile, the origins of the first one in its order. */
function originsTable(profiles, { rows = 12 } = {}) {
  const names = Object.keys(profiles);
  const first = profiles[names[0]];
  const shown = first.origins.slice(0, rows).map((o) => o.origin);
  for (const other of names.slice(1)) {
    for (const o of profiles[other].origins.slice(0, 5)) {
      if (!shown.includes(o.origin)) shown.push(o.origin);
    }
  }
  const shareIn = (summary, origin) => summary.origins.find((o) => o.origin === origin)?.share ?? 0;
  return table(
    ['where the code comes from', ...names.map((name) => `${name}: share of busy CPU`)],
    shown.map((origin) => [
      origin,
      ...names.map((name) => percent(shareIn(profiles[name], origin))),
    ])
  );
}

function functionsTable(summary, { rows = 15 } = {}) {
  return table(
    ['function (self time)', 'from', 'share of busy CPU'],
    summary.functions
      .slice(0, rows)
      .map((f) => [`\`${f.name.replace(/\|/g, '\\|')}\``, f.origin, percent(f.share)])
  );
}

/** Mosaic's functions with everything they call: where its share of the time goes. */
function mosaicTable(summary, { rows = 12 } = {}) {
  return table(
    ['Mosaic function (with what it calls)', 'share of busy CPU'],
    summary.mosaicFunctions.slice(0, rows).map((f) => [`\`${f.name}\``, percent(f.share)])
  );
}

module.exports = {
  MOSAIC_ORIGIN,
  summarizeProfile,
  originsTable,
  functionsTable,
  mosaicTable,
  percent,
};
