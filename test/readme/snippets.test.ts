/**
 * Every ```ts block of README.md is a complete module that type-checks in strict mode against this repository's
 * sources (`cdk-keyless` -> lib/index.ts, `cdk-keyless/*` -> the repository root), with the compiler options of
 * tsconfig.json. One program over all snippets (each written to its own file in a temp dir); one test per snippet,
 * named by the README line of its opening fence. A block can opt out only with ```ts nocompile on its fence line.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';
import { CodeBlock, REPO_ROOT, typeScriptSnippets } from './readme';

const { compiled, optedOut } = typeScriptSnippets();

function compilerOptions(): ts.CompilerOptions {
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

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-snippets-'));
    for (const s of compiled) {
      // `export {}` keeps each snippet a module of its own even if it had no import (line numbers unchanged)
      fs.writeFileSync(fileOf(dir, s), `${s.code}\nexport {};\n`);
    }
    program = ts.createProgram(compiled.map((s) => fileOf(dir, s)), compilerOptions());
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
