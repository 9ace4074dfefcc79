/**
 * Every ```ts block of README.md runs: each is transpiled and executed as its own CommonJS module, in a working
 * directory holding the README's plan.json (section "`plan.json`") and its exemptions file (section "Exemptions")
 * as keyless-exemptions.json, with `cdk-keyless` resolved to this repository's sources. So a snippet that asks a
 * plan for a workload, target or application it does not have fails here, not in a user's first synth.
 *
 * A line `expression; // => value` states the value; it is checked with a deep equality. A `// =>` comment on any
 * other shape of line is an error, so a stated value can never go unchecked.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { isDeepStrictEqual, inspect } from 'util';
import { CodeBlock, jsonBlockUnder, readReadme, runModule, typeScriptSnippets } from './readme';

const readme = readReadme();
const { compiled } = typeScriptSnippets(readme);

const VALUE_LINE = /^(\s*)(\S.*?);\s*\/\/\s*=>\s*(.+?)\s*$/;

interface Mismatch { readonly line: number; readonly actual: unknown; readonly expected: unknown }

/** The snippet with each `expr; // => value` line turned into a check (same line, so line numbers hold). */
function instrument(s: CodeBlock): string {
  return s.code.split('\n').map((line, i) => {
    if (!/\/\/\s*=>/.test(line)) return line;
    const m = VALUE_LINE.exec(line);
    if (!m) throw new Error(`README.md:${s.fenceLine + 1 + i}: a "// =>" value comment must follow "expression;" on one line`);
    return `${m[1]}__readme.check(${s.fenceLine + 1 + i}, (${m[2]}), (${m[3]}));`;
  }).join('\n');
}

describe('README.md TypeScript snippets run', () => {
  let workDir: string;
  let previousCwd: string;

  beforeAll(() => {
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-run-'));
    fs.writeFileSync(path.join(workDir, 'plan.json'), jsonBlockUnder(readme, '`plan.json`').code);
    fs.writeFileSync(path.join(workDir, 'keyless-exemptions.json'), jsonBlockUnder(readme, 'Exemptions').code);
    previousCwd = process.cwd();
    process.chdir(workDir);
  });

  afterAll(() => {
    process.chdir(previousCwd);
    fs.rmSync(workDir, { recursive: true, force: true });
  });

  test('README.md states values that the snippets check', () => {
    expect(compiled.some((s) => /\/\/\s*=>/.test(s.code))).toBe(true);
  });

  test.each(compiled.map((s) => [s.fenceLine, s] as const))('README.md line %d runs and states true values', (_line, s) => {
    const mismatches: Mismatch[] = [];
    const readmeApi = {
      check: (line: number, actual: unknown, expected: unknown) => {
        if (!isDeepStrictEqual(actual, expected)) mismatches.push({ line, actual, expected });
      },
    };
    try {
      runModule(instrument(s), s, { __readme: readmeApi });
    } catch (e) {
      throw new Error(`the \`\`\`ts block at README.md:${s.fenceLine} (${s.heading}) throws: ${(e as Error).message}`);
    }
    const report = mismatches.map((m) =>
      `README.md:${m.line}: the README says ${inspect(m.expected, { depth: 5 })}, the code gives ${inspect(m.actual, { depth: 5 })}`);
    expect(report).toEqual([]);
  });
});
