/**
 * The core is written with extensionless imports (as the server's build expects); Node's ES
 * modules need the file name. Adds `.js` to every relative specifier of the ESM build.
 */
const fs = require('fs');
const path = require('path');

function walk(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(file);
    else if (file.endsWith('.js') || file.endsWith('.d.ts')) {
      const source = fs.readFileSync(file, 'utf8');
      const fixed = source.replace(
        /(from\s+|import\s*\(\s*)(['"])(\.\.?\/[^'"]+?)(?<!\.js)\2/g,
        (_, lead, quote, specifier) => `${lead}${quote}${specifier}.js${quote}`
      );
      if (fixed !== source) fs.writeFileSync(file, fixed);
    }
  }
}

walk(path.resolve(process.argv[2]));
fs.writeFileSync(path.join(process.argv[2], 'package.json'), JSON.stringify({ type: 'module' }));
