/**
 * This package's version, for the inventory report, SARIF, the CDK validation report and `keyless --version`.
 * Reads only `package.json` (no engine module), so the CLI can answer `--version` at once. Engine-neutral;
 * internal module (not part of the jsii API).
 */
import * as fs from 'fs';
import * as path from 'path';

/**
 * The version of this package: the `package.json` named `cdk-keyless` two levels up (`lib/<folder>/` in a checkout
 * and in the installed package) or one level up; `0.0.0` when neither can be read.
 */
export function toolVersion(): string {
  for (const candidate of [path.join(__dirname, '..', '..', 'package.json'), path.join(__dirname, '..', 'package.json')]) {
    try {
      const pkg = JSON.parse(fs.readFileSync(candidate, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'cdk-keyless' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // try the next candidate
    }
  }
  return '0.0.0';
}
