import tseslint from 'typescript-eslint';

/** DESIGN §2: what the engine-neutral code may not import. */
const ENGINE_NEUTRAL = [
  { group: ['aws-cdk-lib', 'aws-cdk-lib/*', 'cdktf', 'cdktf/*', '@cdktf/provider-*', 'constructs'], message: 'core, rules, normalizers and the CLI are engine-neutral (DESIGN §2)' },
  { group: ['../aws/*', '../terraform/*', '../../aws/*', '../../terraform/*', '../cdk/*', '../cdktf/*'], message: 'engine-neutral code may not import engine adapters' },
];

export default tseslint.config(
  { ignores: ['**/*.js', '**/*.d.ts', 'node_modules/**', '**/cdk.out/**', '**/cdktf.out/**', 'out/**', 'dist/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-imports': 'off',
    },
  },
  {
    // DESIGN §2: core and the engine-neutral guardrails never import a CDK.
    files: ['lib/core/**/*.ts', 'lib/guardrails/*.ts', 'lib/guardrails/rules/**/*.ts', 'lib/guardrails/policy/**/*.ts', 'lib/guardrails/normalize/**/*.ts', 'lib/guardrails/format/**/*.ts', 'lib/guardrails/report/**/*.ts', 'lib/guardrails/history/**/*.ts', 'lib/guardrails/owners/**/*.ts', 'lib/cli/**/*.ts'],
    // lib/guardrails/index.ts is the public API: it re-exports the adapters by design.
    ignores: ['lib/guardrails/index.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ENGINE_NEUTRAL }],
    },
  },
  {
    // The report's dependencies point one way (README layout): the renderings, the diff, io and the check formats
    // read the report model, never the builder. (A later block replaces the rule's options: repeat the above.)
    files: ['lib/guardrails/report/*.ts', 'lib/guardrails/format/**/*.ts'],
    ignores: ['lib/guardrails/report/index.ts', 'lib/guardrails/report/build.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: ENGINE_NEUTRAL,
        paths: ['./build', './index', '../report', '../report/build', '../report/index']
          .map((name) => ({ name, message: 'report renderings and formats depend on report/model, never on the builder' })),
      }],
    },
  },
);
