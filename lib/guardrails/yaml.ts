/**
 * The `yaml` package, loaded the first time a check reads YAML (a CloudFormation YAML template, a Kubernetes
 * authentication configuration, a YAML exemptions file). Most checks read none, and loading it on every start of
 * `keyless check` was about a tenth of the CLI's start-up.
 */
export type Yaml = typeof import('yaml');

/** The `yaml` module: required on first use; later calls are answered from Node's module cache. */
export function yaml(): Yaml {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, see the module doc
  return require('yaml') as Yaml;
}
