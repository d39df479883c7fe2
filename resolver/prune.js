/**
 * tsc emits every file of the program, including contract modules the core imports for their types
 * only (their zod schemas are the server's). The package ships what its entry point can load: the
 * files no `require`/`import` reaches from `resolver/index.js` are removed from each build.
 */
const fs = require('fs');
const path = require('path');

const SPECIFIER = /(?:require\(|from\s+|import\()\s*["'](\.\.?\/[^"']+)["']/g;

function prune(root) {
  const reached = new Set();
  const visit = (file) => {
    if (reached.has(file)) return;
    reached.add(file);
    for (const [, specifier] of fs.readFileSync(file, 'utf8').matchAll(SPECIFIER)) {
      const target = path.resolve(path.dirname(file), specifier);
      visit(target.endsWith('.js') ? target : `${target}.js`);
    }
  };
  visit(path.join(root, 'resolver', 'index.js'));
  const sweep = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) sweep(file);
      else if (file.endsWith('.js') && !reached.has(file)) fs.rmSync(file);
    }
  };
  sweep(root);
}

for (const build of process.argv.slice(2)) prune(path.resolve(build));
