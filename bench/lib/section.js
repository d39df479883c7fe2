/**
 * Writes one section of bench/RESULTS.md (`## title`), replacing the section of that title or
 * appending it, formatted on its own (prose wrapped to the print width): the rest of the file is
 * left byte for byte as it was, so that benchmarks recorded on other branches merge cleanly.
 */
const fs = require('fs');

async function writeSection(file, title, body) {
  const prettier = require('prettier');
  const heading = `## ${title}`;
  const options = (await prettier.resolveConfig(file)) ?? {};
  const section = (
    await prettier.format(`${heading}\n\n${body.trim()}\n`, {
      ...options,
      proseWrap: 'always',
      filepath: file,
    })
  ).trimEnd();
  const existing = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# Benchmark results\n';
  const lines = existing.split('\n');
  const start = lines.indexOf(heading);
  let text;
  if (start === -1) {
    text = `${existing.trimEnd()}\n\n${section}\n`;
  } else {
    let end = lines.findIndex((line, i) => i > start && line.startsWith('## '));
    if (end === -1) end = lines.length;
    const after = lines.slice(end).join('\n');
    text = [...lines.slice(0, start), section, ...(after ? ['', after] : [''])].join('\n');
  }
  fs.writeFileSync(file, text);
}

module.exports = { writeSection };
