import tseslint from 'typescript-eslint';

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
    files: ['lib/core/**/*.ts', 'lib/guardrails/*.ts', 'lib/guardrails/rules/**/*.ts', 'lib/guardrails/policy/**/*.ts', 'lib/guardrails/normalize/**/*.ts', 'lib/guardrails/format/**/*.ts', 'lib/guardrails/report/**/*.ts', 'lib/cli/**/*.ts'],
    // lib/guardrails/index.ts is the public API: it re-exports the adapters by design.
    ignores: ['lib/guardrails/index.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['aws-cdk-lib', 'aws-cdk-lib/*', 'cdktf', 'cdktf/*', '@cdktf/provider-*', 'constructs'], message: 'core, rules, normalizers and the CLI are engine-neutral (DESIGN §2)' },
        { group: ['../aws/*', '../terraform/*', '../../aws/*', '../../terraform/*', '../cdk/*', '../cdktf/*'], message: 'engine-neutral code may not import engine adapters' },
      ] }],
    },
  },
);
