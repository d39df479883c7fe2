import fs from 'fs';
import path from 'path';

const admin = path.resolve(__dirname, '../../admin/src');
const read = (locale: string): Record<string, string> =>
  JSON.parse(fs.readFileSync(path.join(admin, 'translations', `${locale}.json`), 'utf8'));

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(file);
    return /\.tsx?$/.test(entry.name) ? [file] : [];
  });
}

describe('admin translations', () => {
  const en = read('en');

  it('has every string the admin shows, in English', () => {
    const used = new Set<string>();
    for (const file of sources(admin)) {
      const text = fs.readFileSync(file, 'utf8');
      for (const match of text.matchAll(/\bt\(\s*'([^']+)'/g)) used.add(match[1]);
      for (const match of text.matchAll(/getTranslation\('([^']+)'\)/g)) used.add(match[1]);
    }
    expect(used.size).toBeGreaterThan(100);
    expect([...used].filter((id) => !(id in en))).toEqual([]);
  });

  it('says the same things in French', () => {
    const fr = read('fr');
    expect(Object.keys(fr).sort()).toEqual(Object.keys(en).sort());
    expect(Object.entries(fr).filter(([, value]) => value.trim() === '')).toEqual([]);
  });
});
