import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';

/** What the core may not reach: frameworks, databases, the file system, the network, processes, and the layers above it. */
const FORBIDDEN = [/^@nestjs\//, /^typeorm/, /^pg($|-)/, /^@electric-sql\//, /^(node:)?(fs|fs\/promises|net|http|https|child_process|worker_threads|cluster)$/, /^pdfkit$/];

/** Every module a file loads, read by TypeScript's own parser: static and type imports, re-exports, require() and import(). */
export function moduleSpecifiers(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const out: string[] = [];
  const visit = (node: ts.Node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) out.push(node.moduleSpecifier.text);
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && ts.isStringLiteral(node.moduleReference.expression)) {
      out.push(node.moduleReference.expression.text);
    } else if (ts.isCallExpression(node) && node.arguments.length === 1 && ts.isStringLiteralLike(node.arguments[0])) {
      const callee = node.expression;
      if (callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === 'require')) out.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

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

  it.each(files.map((f) => [path.relative(root, f), f]))('%s imports no framework, database, file system, layer above it or clock', (_name, file) => {
    const text = fs.readFileSync(file, 'utf8');
    const bad = moduleSpecifiers(file, text).filter((m) => {
      if (FORBIDDEN.some((p) => p.test(m))) return true;
      // a relative import must stay inside src/core (no ../../infra, ../../calculation, ...); JSON is data compiled in
      // (the plan schema), not a layer
      return m.startsWith('.') && !m.endsWith('.json') && !path.resolve(path.dirname(file), m).startsWith(root);
    });
    expect(bad).toEqual([]);
    expect(text).not.toMatch(/Date\.now\(\)|new Date\(\)/);
  });

  it('the parser sees every form an import can take', () => {
    const text = `import a from "pg"; import type { B } from '../../infra/x'; export * from 'typeorm'; const c = require("node:fs"); const d = await import('@nestjs/core'); import e = require('http');`;
    expect(moduleSpecifiers('x.ts', text)).toEqual(['pg', '../../infra/x', 'typeorm', 'node:fs', '@nestjs/core', 'http']);
  });
});
