/**
 * Every ```ts block of README.md is a complete module that type-checks in strict mode against this repository's
 * sources (`cdk-keyless` -> lib/index.ts, `cdk-keyless/*` -> the repository root), with the compiler options of
 * tsconfig.json. One program over all snippets (each written to its own file in a temp dir); one test per snippet,
 * named by the README line of its opening fence. A block can opt out only with ```ts nocompile on its fence line.
 *
 * `aws-cdk-lib`'s root module re-exports every service module (2,600 declaration files, 44 MB): parsing them was most
 * of this suite's time. The program reads `aws-cdk-lib` as a root module of its own ({@link rootModuleOfCdk}): the
 * root's `core` exports and the service namespaces (`aws_iam`, ...) that the snippets or lib/ name, each re-exported
 * from the same declaration files as the real root, so every name it has has the real type. A test checks that every
 * name any file of the program imports from `aws-cdk-lib` is one it has, so nothing can fall back to `any`.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';
import { CodeBlock, REPO_ROOT, typeScriptSnippets } from './readme';

const { compiled, optedOut } = typeScriptSnippets();

/**
 * The text of a declaration module standing in for `aws-cdk-lib`'s root: what the root re-exports from `./core`, and
 * those of its `export * as NAME from './DIR'` namespaces whose NAME occurs in `sources` (the snippets, lib/).
 */
function rootModuleOfCdk(sources: readonly string[]): string {
  const root = fs.readFileSync(path.join(REPO_ROOT, 'node_modules', 'aws-cdk-lib', 'index.d.ts'), 'utf8');
  const lines = ["export * from 'aws-cdk-lib/core';"];
  for (const m of root.matchAll(/^export \* as (\w+) from '\.\/([\w-]+)';$/gm)) {
    const used = new RegExp(`\\b${m[1]}\\b`);
    if (sources.some((text) => used.test(text))) lines.push(`export * as ${m[1]} from 'aws-cdk-lib/${m[2]}';`);
  }
  return `${lines.join('\n')}\n`;
}

/** Every .ts source of lib/ (they import from `aws-cdk-lib` too). */
function libSources(dir = path.join(REPO_ROOT, 'lib')): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return libSources(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [fs.readFileSync(p, 'utf8')] : [];
  });
}

/** Names imported or re-exported from `aws-cdk-lib` (the root) by a file, with how (`*` for a namespace import). */
function rootCdkImports(file: ts.SourceFile): string[] {
  const names: string[] = [];
  for (const st of file.statements) {
    const spec = (ts.isImportDeclaration(st) || ts.isExportDeclaration(st)) && st.moduleSpecifier && ts.isStringLiteral(st.moduleSpecifier) ? st.moduleSpecifier.text : undefined;
    if (spec !== 'aws-cdk-lib') continue;
    if (ts.isImportDeclaration(st)) {
      const bindings = st.importClause?.namedBindings;
      if (st.importClause?.name || (bindings && ts.isNamespaceImport(bindings))) names.push('*');
      if (bindings && ts.isNamedImports(bindings)) names.push(...bindings.elements.map((e) => (e.propertyName ?? e.name).text));
    } else if (ts.isExportDeclaration(st)) {
      if (!st.exportClause || !ts.isNamedExports(st.exportClause)) names.push('*');
      else names.push(...st.exportClause.elements.map((e) => (e.propertyName ?? e.name).text));
    }
  }
  return names;
}

function compilerOptions(cdkRoot: string): ts.CompilerOptions {
  const configPath = path.join(REPO_ROOT, 'tsconfig.json');
  const config = ts.readConfigFile(configPath, (f) => ts.sys.readFile(f));
  if (config.error) throw new Error(ts.flattenDiagnosticMessageText(config.error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, REPO_ROOT, undefined, configPath);
  return {
    ...parsed.options,
    noEmit: true,
    declaration: false,
    inlineSourceMap: false,
    inlineSources: false,
    types: ['node'],
    typeRoots: [path.join(REPO_ROOT, 'node_modules', '@types')],
    baseUrl: REPO_ROOT,
    paths: {
      'cdk-keyless': ['lib/index.ts'],
      'cdk-keyless/*': ['*'],
      'aws-cdk-lib': [cdkRoot],
      // the snippets live outside the repository: resolve their other imports from its node_modules
      '*': ['node_modules/*', 'node_modules/@types/*'],
    },
  };
}

function fileOf(dir: string, s: CodeBlock): string {
  return path.join(dir, `readme-line-${s.fenceLine}.ts`);
}

/** `README.md:LINE:COL - error TS1234: message`, then the offending line. */
function describeDiagnostic(d: ts.Diagnostic, s: CodeBlock): string {
  const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
  if (d.file === undefined || d.start === undefined) return `error TS${d.code}: ${message}`;
  const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
  const source = s.code.split('\n')[line] ?? '';
  return `README.md:${s.fenceLine + 1 + line}:${character + 1} - error TS${d.code}: ${message}\n    ${source.trim()}`;
}

describe('README.md TypeScript snippets', () => {
  let program: ts.Program;
  let dir: string;
  let cdkRoot: string;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-snippets-'));
    for (const s of compiled) {
      // `export {}` keeps each snippet a module of its own even if it had no import (line numbers unchanged)
      fs.writeFileSync(fileOf(dir, s), `${s.code}\nexport {};\n`);
    }
    cdkRoot = path.join(dir, 'aws-cdk-lib-root.d.ts');
    fs.writeFileSync(cdkRoot, rootModuleOfCdk([...compiled.map((s) => s.code), ...libSources()]));
    program = ts.createProgram(compiled.map((s) => fileOf(dir, s)), compilerOptions(cdkRoot));
  }, 120_000);

  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('README.md has TypeScript snippets, and the compiler options are valid', () => {
    expect(compiled.length).toBeGreaterThan(5);
    const problems = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()]
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(problems).toEqual([]);
  });

  test('every name a file of the program imports from aws-cdk-lib is one its root module has (none falls back to any)', () => {
    const checker = program.getTypeChecker();
    const root = program.getSourceFile(cdkRoot);
    expect(root).toBeDefined();
    const exported = new Set(checker.getExportsOfModule(checker.getSymbolAtLocation(root!)!).map((e) => e.name));
    expect(exported).toContain('App');
    const missing: string[] = [];
    let importers = 0;
    for (const file of program.getSourceFiles()) {
      const names = rootCdkImports(file);
      if (names.length > 0) importers++;
      // A namespace import would reach names no import lists: the root module would have to be the real one.
      for (const name of names) if (name === '*' || !exported.has(name)) missing.push(`${file.fileName}: ${name}`);
    }
    expect(importers).toBeGreaterThan(5);
    expect(missing).toEqual([]);
  });

  test('no snippet opts out of compilation', () => {
    expect(optedOut.map((s) => `README.md:${s.fenceLine}`)).toEqual([]);
  });

  test.each(compiled.map((s) => [s.fenceLine, s] as const))('README.md line %d compiles', (_line, s) => {
    const file = program.getSourceFile(fileOf(dir, s));
    expect(file).toBeDefined();
    const diagnostics = [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)];
    const report = diagnostics.map((d) => describeDiagnostic(d, s)).join('\n');
    if (report !== '') {
      throw new Error(`the \`\`\`ts block at README.md:${s.fenceLine} (${s.heading}) does not compile:\n${report}`);
    }
  });
});
