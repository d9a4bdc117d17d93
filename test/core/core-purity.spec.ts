import * as fs from 'node:fs';
import * as path from 'node:path';

/** The calculation core stays framework-free and I/O-free: plain data in, results with traces out. */
describe('src/core purity', () => {
  const root = path.join(__dirname, '..', '..', 'src', 'core');
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(path.join(dir, e.name));
      else if (e.name.endsWith('.ts')) files.push(path.join(dir, e.name));
    }
  };
  walk(root);

  it.each(files.map((f) => [path.relative(root, f), f]))('%s imports no framework, database, file system or clock', (_name, file) => {
    const src = fs.readFileSync(file, 'utf8');
    expect(src).not.toMatch(/from '@nestjs\//);
    expect(src).not.toMatch(/from 'typeorm'/);
    expect(src).not.toMatch(/from 'pg'/);
    expect(src).not.toMatch(/from 'node:fs'|from 'fs'/);
    expect(src).not.toMatch(/Date\.now\(\)|new Date\(\)/);
  });
});
