// Jest setupFiles: aws-cdk-lib 2.276 validates every synthesized template against the CloudFormation resource
// schemas (a WebAssembly engine that takes ~6 s of CPU to start, once per test file). Its findings never fail a
// synth (aws-cdk-lib reports them as warnings unless @aws-cdk/core:validateAgainstDefaultRules is set), so the
// suite turns it off through aws-cdk-lib's own switch, CDK_VALIDATION=false, unless the environment already says
// otherwise: `CDK_VALIDATION=true npm test` runs every synth with it. test/examples/cloudformation-validation.test.ts
// keeps it on for the paved-road apps, and `npm run synth` / `npx cdk synth` in .ci/run run with it as users do.
'use strict';

if (process.env.CDK_VALIDATION === undefined) process.env.CDK_VALIDATION = 'false';
