/**
 * The core takes its types from contracts/, and tsc emits a module even when only its types are
 * imported: those contract modules (zod schemas) would ship as code that nothing runs, and that
 * imports zod. Keeps, in each build given, the `.js` files the entry point reaches; removes the
 * others (their `.d.ts` stay, for the types).
 */
const fs = require('fs');
const path = require('path');

const SPECIFIER = /(?:require\(|from\s+|import\()\s*["'](\.\.?\/[^"']+)["']/g;

function prune(dist) {
  const reached = new Set();
  const visit = (file) => {
    if (reached.has(file)) return;
    reached.add(file);
    for (const [, specifier] of fs.readFileSync(file, 'utf8').matchAll(SPECIFIER)) {
      const target = path.resolve(path.dirname(file), specifier);
      visit(target.endsWith('.js') ? target : `${target}.js`);
    }
  };
  visit(path.join(dist, 'resolver/index.js'));
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (file.endsWith('.js') && !reached.has(file)) fs.rmSync(file);
    }
  };
  walk(dist);
}

for (const dist of process.argv.slice(2)) prune(path.resolve(dist));
