#!/usr/bin/env node
// Assertions of the consumer test (scripts/consumer-test.sh), one subcommand per step:
//
//   node assert.js <check> ARGS...
//
// Every check collects all of its failed assertions, prints them on stderr as
// `assertion failed: <what>` and exits 1; on success it prints one short summary line on stdout.
// Node built-ins only: it runs before and outside the consumer project's node_modules.
'use strict';
const fs = require('fs');
const path = require('path');

const failures = [];
function check(condition, message) {
  if (!condition) failures.push(message);
  return Boolean(condition);
}
function done(summary) {
  if (failures.length > 0) {
    for (const f of failures) process.stderr.write(`assertion failed: ${f}\n`);
    process.exit(1);
  }
  if (summary) process.stdout.write(`${summary}\n`);
}
function readJson(file, what) {
  let text;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    failures.push(`${what}: cannot read ${file}: ${e.message}`);
    done();
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    failures.push(`${what}: ${file} is not JSON (${e.message}); it starts with: ${JSON.stringify(text.slice(0, 200))}`);
    done();
  }
  return undefined;
}
function walk(dir, base = dir, out = []) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, base, out);
    else out.push(path.relative(base, full).split(path.sep).join('/'));
  }
  return out;
}
const isDeclaration = (p) => /\.d\.(ts|mts|cts)$/.test(p);
const isTypeScriptSource = (p) => /\.(ts|mts|cts|tsx)$/.test(p) && !isDeclaration(p);
const sample = (list, n = 5) => list.slice(0, n).join(', ') + (list.length > n ? `, ... (${list.length} in all)` : '');

const PACKAGE_NAME = 'cdk-keyless';
// The plan of scripts/consumer/project/plan.json, as both apps must see it.
const ROLE_ARN = 'arn:aws:iam::111122223333:role/workloads/orders-etl';
const ISSUER = 'https://4d2c6f1e-8b3a-4c5d-9e7f-1a2b3c4d5e6f.tokens.sts.global.api.aws';

const checks = {
  /** The tarball's file list (npm pack --json): what must be there and what must not. */
  tarball(packJson, repoRoot) {
    const pack = readJson(packJson, 'npm pack --json output');
    const entry = Array.isArray(pack) ? pack[0] : undefined;
    check(entry && entry.name === PACKAGE_NAME, `npm pack --json describes package ${entry && entry.name}, expected ${PACKAGE_NAME}`);
    if (!entry) return done();
    const files = entry.files.map((f) => f.path);
    const modes = new Map(entry.files.map((f) => [f.path, f.mode]));
    const has = new Set(files);

    const required = [
      'package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', 'API.md', '.jsii',
      'bin/keyless',
      'lib/index.js', 'lib/index.d.ts',
      'lib/cli/main.js',
      'lib/aws/federation-handler/index.js',
      'node_modules/yaml/package.json',
      'node_modules/@cdktf/hcl2json/package.json',
      'node_modules/@cdktf/hcl2json/main.wasm.gz',
    ];
    const missing = required.filter((p) => !has.has(p));
    check(missing.length === 0, `the tarball lacks ${missing.join(', ')}`);
    check((modes.get('bin/keyless') ?? 0) & 0o111, `bin/keyless is not executable in the tarball (mode ${(modes.get('bin/keyless') ?? 0).toString(8)})`);

    // Own files (outside the bundled node_modules) that must never ship.
    const own = files.filter((p) => !p.startsWith('node_modules/'));
    const forbidden = [
      [(p) => p.startsWith('lib/') && isTypeScriptSource(p), 'TypeScript sources under lib/ (only .js and .d.ts ship)'],
      [(p) => /^(test|bench|examples|scripts|\.ci|dist|out|coverage|\.jest-cache|\.git|cdk\.out|cdktf\.out)\//.test(p), 'test/, bench/, examples/, scripts/, .ci/ or build/test output'],
      [(p) => /(^|\/)(__)?fixtures?(__)?(\/|$)/i.test(p) || /fixture/i.test(path.basename(p)), 'fixtures'],
      [(p) => /(^|\/)tsconfig[^/]*\.json$/.test(p), 'tsconfig*.json'],
      [(p) => /(^|\/)cdk(tf)?\.json$/.test(p), 'cdk.json / cdktf.json'],
      [(p) => /(^|\/)(eslint\.config\.[cm]?[jt]s|\.eslintrc(\.[a-z]+)?|\.eslintignore)$/.test(p), 'eslint config'],
      [(p) => /(^|\/)(\.gitignore|\.npmignore|package-lock\.json|npm-shrinkwrap\.json|jest\.config\.[a-z]+)$/.test(p), 'repository config'],
      [(p) => /\.(tsbuildinfo|log|tgz)$/.test(p) || /\.test\.[jt]s$/.test(p), 'build or test leftovers'],
    ];
    for (const [matches, what] of forbidden) {
      const found = own.filter(matches);
      check(found.length === 0, `the tarball contains ${what}: ${sample(found)}`);
    }

    // Every compiled file has its source, and every source its compiled .js and .d.ts (no stale or missing output).
    const sources = walk(path.join(repoRoot, 'lib')).filter(isTypeScriptSource).map((p) => `lib/${p}`);
    const base = (p) => p.replace(/\.(d\.ts|ts|js)$/, '');
    const sourceBases = new Set(sources.map(base));
    const unbuilt = sources.filter((s) => !has.has(`${base(s)}.js`) || !has.has(`${base(s)}.d.ts`));
    check(unbuilt.length === 0, `sources without their .js/.d.ts in the tarball: ${sample(unbuilt)}`);
    const stale = sources.filter((s) => {
      const js = path.join(repoRoot, `${base(s)}.js`);
      return fs.existsSync(js) && fs.statSync(js).mtimeMs < fs.statSync(path.join(repoRoot, s)).mtimeMs;
    });
    check(stale.length === 0, `compiled files older than their sources (run npm run build): ${sample(stale.map((s) => `${base(s)}.js`))}`);
    const orphans = own.filter((p) => p.startsWith('lib/') && /\.(js|d\.ts)$/.test(p) && !sourceBases.has(base(p)));
    check(orphans.length === 0, `compiled files under lib/ without a source (stale build output): ${sample(orphans)}`);
    const unexpectedOwn = own.filter((p) => !p.startsWith('lib/') && !required.includes(p));
    check(unexpectedOwn.length === 0, `unexpected top-level files in the tarball: ${sample(unexpectedOwn)}`);

    // Bundled: yaml and @cdktf/hcl2json (with their own dependencies), never a peer dependency.
    const bundled = entry.bundled ?? [];
    for (const dep of ['yaml', '@cdktf/hcl2json']) check(bundled.includes(dep), `${dep} is not bundled (bundled: ${bundled.join(', ')})`);
    const peers = ['aws-cdk-lib', 'constructs', 'cdktf', '@cdktf/provider-snowflake', '@cdktf/provider-azuread', 'ts-node', 'typescript'];
    const bundledPeers = bundled.filter((b) => peers.includes(b));
    check(bundledPeers.length === 0, `peer or dev dependencies bundled into the tarball: ${bundledPeers.join(', ')}`);
    const packageOf = (p) => {
      const parts = p.split('/');
      return parts[1].startsWith('@') ? `${parts[1]}/${parts[2]}` : parts[1];
    };
    const strays = files.filter((p) => p.startsWith('node_modules/') && !bundled.includes(packageOf(p)));
    check(strays.length === 0, `node_modules files of packages that are not bundled: ${sample(strays)}`);

    // The manifest's entry points are in the tarball.
    const manifest = readJson(path.join(repoRoot, 'package.json'), 'package.json');
    for (const p of [manifest.main, manifest.types, ...Object.values(manifest.bin ?? {})]) {
      check(has.has(path.posix.normalize(p)), `package.json points at ${p}, which is not in the tarball`);
    }
    const jsii = readJson(path.join(repoRoot, '.jsii'), '.jsii');
    check(jsii.name === PACKAGE_NAME && jsii.version === manifest.version, `.jsii is for ${jsii.name}@${jsii.version}, the package is ${manifest.name}@${manifest.version}`);

    done(`${files.length} files (${own.length} own, ${files.length - own.length} bundled in ${bundled.length} packages), ` +
      `${(entry.size / 1e6).toFixed(1)} MB packed, ${(entry.unpackedSize / 1e6).toFixed(1)} MB unpacked`);
  },

  /** The consumer project pins exactly the versions the repository develops and documents against. */
  versions(consumerPackageJson, repoPackageJson) {
    const consumer = readJson(consumerPackageJson, 'consumer package.json').devDependencies;
    const repo = readJson(repoPackageJson, 'package.json');
    const pinned = ['aws-cdk-lib', 'constructs', 'cdktf', '@cdktf/provider-snowflake', '@cdktf/provider-azuread', 'aws-cdk', 'typescript', 'ts-node', '@types/node'];
    for (const dep of pinned) {
      check(consumer[dep] === repo.devDependencies[dep], `consumer ${dep}@${consumer[dep]} differs from the repository's devDependency ${repo.devDependencies[dep]}`);
    }
    for (const peer of Object.keys(repo.peerDependencies ?? {})) {
      // an optional peer (peerDependenciesMeta) stays out: the project proves the package works without it
      if (repo.peerDependenciesMeta?.[peer]?.optional === true) continue;
      check(peer in consumer, `peer dependency ${peer} is not installed by the consumer project`);
    }
    done(pinned.map((d) => `${d}@${consumer[d]}`).join(' '));
  },

  /** The package as installed: compiled JavaScript only, bundled dependencies in place, the bin linked. */
  installed(projectDir) {
    const pkgDir = path.join(projectDir, 'node_modules', PACKAGE_NAME);
    const files = walk(pkgDir);
    const ts = files.filter(isTypeScriptSource);
    check(ts.length === 0, `the installed package contains TypeScript sources (nothing may need ts-node): ${sample(ts)}`);
    for (const dep of ['yaml', '@cdktf/hcl2json']) {
      check(fs.existsSync(path.join(pkgDir, 'node_modules', dep, 'package.json')), `bundled ${dep} is not installed under node_modules/${PACKAGE_NAME}/node_modules`);
    }
    for (const peer of ['aws-cdk-lib', 'constructs', 'cdktf']) {
      check(!fs.existsSync(path.join(pkgDir, 'node_modules', peer)), `a second copy of ${peer} is installed under node_modules/${PACKAGE_NAME}/node_modules`);
    }
    const bin = path.join(projectDir, 'node_modules', '.bin', 'keyless');
    check(fs.existsSync(bin), 'node_modules/.bin/keyless is not linked');
    check(fs.existsSync(path.join(pkgDir, '.jsii')), 'the installed package has no .jsii');
    done(`${files.length} files, no TypeScript sources, bundled yaml and @cdktf/hcl2json present`);
  },

  /** cdk.out of bin/app.ts: the plan's role, the custom resource handler shipped as an asset, the plugin's report. */
  cdkOut(cdkOut, projectDir) {
    const manifest = readJson(path.join(cdkOut, 'manifest.json'), 'cdk.out/manifest.json');
    const stacks = Object.entries(manifest.artifacts ?? {}).filter(([, a]) => a.type === 'aws:cloudformation:stack');
    check(stacks.length === 1 && stacks[0][0] === 'OrdersEtl', `cdk.out has stacks ${stacks.map(([n]) => n).join(', ')}, expected OrdersEtl`);
    const env = stacks[0] && stacks[0][1].environment;
    check(env === 'aws://111122223333/eu-west-1', `the stack's environment is ${env}, expected aws://111122223333/eu-west-1 (explicit: no lookup)`);
    const template = readJson(path.join(cdkOut, 'OrdersEtl.template.json'), 'OrdersEtl.template.json');
    const resources = Object.entries(template.Resources ?? {});
    const roles = resources.filter(([, r]) => r.Type === 'AWS::IAM::Role' && r.Properties.RoleName === 'orders-etl');
    check(roles.length === 1 && roles[0][1].Properties.Path === '/workloads/', `no AWS::IAM::Role orders-etl with path /workloads/ (the plan's role ${ROLE_ARN})`);
    const subject = template.Outputs && template.Outputs.Subject && template.Outputs.Subject.Value;
    check(subject === ROLE_ARN, `output Subject is ${JSON.stringify(subject)}, expected ${ROLE_ARN}`);
    const federation = resources.filter(([, r]) => r.Type === 'Custom::KeylessOutboundWebIdentityFederation');
    check(federation.length === 1, `expected one Custom::KeylessOutboundWebIdentityFederation, found ${federation.length}`);

    // The custom resource's handler comes from the installed package and runs on its own in Lambda.
    const handlerSource = path.join(projectDir, 'node_modules', PACKAGE_NAME, 'lib', 'aws', 'federation-handler', 'index.js');
    const handler = fs.readFileSync(handlerSource, 'utf8');
    const assetDirs = fs.readdirSync(cdkOut).filter((d) => d.startsWith('asset.') && fs.existsSync(path.join(cdkOut, d, 'index.js')));
    const handlerAssets = assetDirs.filter((d) => fs.readFileSync(path.join(cdkOut, d, 'index.js'), 'utf8') === handler);
    check(handlerAssets.length === 1, `no asset in cdk.out holds the installed federation handler (assets with index.js: ${assetDirs.join(', ') || 'none'})`);
    if (handlerAssets.length === 1) {
      const hash = handlerAssets[0].slice('asset.'.length);
      const fn = resources.find(([, r]) => r.Type === 'AWS::Lambda::Function' && JSON.stringify(r.Properties.Code ?? {}).includes(hash));
      check(fn, `no Lambda function in the template deploys the handler asset ${hash}`);
      if (fn) check(/^nodejs\d+\.x$/.test(fn[1].Properties.Runtime), `the handler runs on ${fn[1].Properties.Runtime}`);
    }
    const builtins = new Set(require('module').builtinModules);
    const requires = [...handler.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
    const foreign = requires.filter((r) => !builtins.has(r.replace(/^node:/, '')) && !r.startsWith('@aws-sdk/'));
    check(foreign.length === 0, `the federation handler requires ${foreign.join(', ')}, which the Lambda asset does not contain`);

    // KeylessGuardrails ran as a validation plugin and wrote its report into the cloud assembly.
    const report = readJson(path.join(cdkOut, 'keyless-report.json'), 'cdk.out/keyless-report.json');
    check(report.schema === 'cdk-keyless/report@1', `cdk.out/keyless-report.json has schema ${report.schema}`);
    const validation = readJson(path.join(cdkOut, 'validation-report.json'), 'cdk.out/validation-report.json');
    const failing = (validation.pluginReports ?? []).filter((r) => r.conclusion !== 'success');
    check(failing.length === 0, `validation plugins reported failures: ${JSON.stringify(failing).slice(0, 500)}`);
    done(`${resources.length} resources, role ${ROLE_ARN}, handler asset ${handlerAssets[0] || '?'}`);
  },

  /** cdktf.out of tf/main.ts: the Snowflake user and the Entra credential trust the CDK app's role and the plan's issuer. */
  cdktfOut(cdktfOut) {
    const manifest = readJson(path.join(cdktfOut, 'manifest.json'), 'cdktf.out/manifest.json');
    const stack = manifest.stacks && manifest.stacks['orders-etl-trust'];
    check(stack, `cdktf.out/manifest.json has stacks ${Object.keys(manifest.stacks ?? {}).join(', ')}, expected orders-etl-trust`);
    if (!stack) return done();
    const tf = readJson(path.join(cdktfOut, stack.synthesizedStackPath), stack.synthesizedStackPath);
    const of = (type) => Object.values((tf.resource ?? {})[type] ?? {});
    check(of('snowflake_service_user').length === 1 && of('snowflake_service_user')[0].name === 'ORDERS_ETL_SVC', 'no snowflake_service_user ORDERS_ETL_SVC');
    const execute = of('snowflake_execute').map((r) => r.execute);
    check(execute.some((sql) => sql.includes(`ARN = '${ROLE_ARN}'`) && sql.includes(`ISSUER = '${ISSUER}'`)),
      `no snowflake_execute sets WORKLOAD_IDENTITY to the plan's role ARN and issuer: ${JSON.stringify(execute)}`);
    const fics = of('azuread_application_federated_identity_credential');
    check(fics.length === 1 && fics[0].subject === ROLE_ARN && fics[0].issuer === ISSUER && JSON.stringify(fics[0].audiences) === '["api://AzureADTokenExchange"]',
      `the Entra federated identity credential does not trust the plan's role and issuer: ${JSON.stringify(fics).slice(0, 400)}`);
    const fallbacks = ['snowflake_user', 'snowflake_legacy_service_user', 'azuread_application_password', 'azuread_service_principal_password'].filter((t) => of(t).length > 0);
    check(fallbacks.length === 0, `fallback credential resources in the Terraform output: ${fallbacks.join(', ')}`);
    const providers = tf.provider ?? {};
    const snowflake = (providers.snowflake ?? [])[0] ?? {};
    check(JSON.stringify(snowflake.preview_features_enabled ?? []).includes('snowflake_authentication_policy_resource'), 'the snowflake provider does not enable the preview features');
    const report = readJson(path.join(cdktfOut, 'keyless-report.json'), 'cdktf.out/keyless-report.json');
    check(report.schema === 'cdk-keyless/report@1', `cdktf.out/keyless-report.json has schema ${report.schema}`);
    done(`stack orders-etl-trust: ${Object.values(tf.resource ?? {}).reduce((n, r) => n + Object.keys(r).length, 0)} resources trusting ${ROLE_ARN}`);
  },

  /** `keyless check cdk.out cdktf.out --format json`: no error findings, the documented summary. */
  checkClean(checkJson) {
    const out = readJson(checkJson, 'keyless check --format json');
    check(Array.isArray(out.findings), 'the output has no findings array');
    const errors = (out.findings ?? []).filter((f) => f.severity === 'error');
    check(errors.length === 0, `error findings: ${errors.map((f) => `${f.ruleId} ${f.resource} (${f.file})`).join('; ')}`);
    for (const f of out.findings ?? []) {
      for (const key of ['ruleId', 'severity', 'file', 'resource', 'message']) check(typeof f[key] === 'string', `a finding has no string ${key}: ${JSON.stringify(f).slice(0, 200)}`);
    }
    const s = out.summary;
    check(s && typeof s === 'object', 'the output has no summary');
    if (s) {
      for (const key of ['files', 'resources', 'findings', 'errors', 'warnings', 'exempted', 'federatedIdentities']) {
        check(Number.isInteger(s[key]), `summary.${key} is ${JSON.stringify(s[key])}, expected an integer`);
      }
      check(s.byRule && typeof s.byRule === 'object', 'summary.byRule is missing');
      check(Array.isArray(s.notes), 'summary.notes is missing');
      check(s.errors === 0, `summary.errors is ${s.errors}`);
      check(s.files === 2, `summary.files is ${s.files}, expected 2 (OrdersEtl.template.json and the cdktf stack)`);
      check(s.federatedIdentities >= 2, `summary.federatedIdentities is ${s.federatedIdentities}, expected the Snowflake and Entra trusts at least`);
    }
    // the federation graph joins the CDK app's role to the CDKTF app's trusts: both pairs reachable
    const pairs = out.federation;
    check(Array.isArray(pairs), 'the output has no federation array');
    const kinds = (pairs ?? []).map((p) => `${p.workload} -> ${p.targetKind}: ${p.reachable ? 'reachable' : `not reachable (${p.reason})`}`).sort();
    check(JSON.stringify(kinds) === JSON.stringify([`${ROLE_ARN} -> entra: reachable`, `${ROLE_ARN} -> snowflake: reachable`]), `federation pairs: ${JSON.stringify(kinds)}`);
    done(s ? `${s.files} files, ${s.resources} resources, ${s.errors} errors, ${s.warnings} warnings, ${s.federatedIdentities} federated identities` : undefined);
  },

  /** `keyless report cdk.out cdktf.out --format json`: one inventory over both apps. */
  report(reportJson) {
    const r = readJson(reportJson, 'keyless report --format json');
    check(r.schema === 'cdk-keyless/report@1', `report schema is ${r.schema}`);
    const ids = r.identities ?? [];
    // one merged row per trust: the workload by its construct path, the role ARN as the token's subject, the algorithm
    // the relying party verifies
    for (const [kind, algorithm] of [['snowflake', 'ES384'], ['entra', 'RS256']]) {
      check(ids.some((i) => i.workload === 'OrdersEtl/Role/Resource' && i.targetKind === kind && i.issuer === ISSUER && i.subject === ROLE_ARN
        && i.algorithm === algorithm),
        `the report has no ${kind} identity for OrdersEtl/Role/Resource (${ROLE_ARN}, ${algorithm}) with the plan's issuer: ${JSON.stringify(ids).slice(0, 600)}`);
    }
    done(`${ids.length} identities`);
  },

  /**
   * A synth that KeylessGuardrails must have failed: CDK's validation report names the rule and the logical id,
   * with severity `fatal` (keyless errors cannot be acknowledged; an exemption is the way to let one stand).
   */
  synthRefused(validationReport, ruleId, logicalId, constructPath) {
    const v = readJson(validationReport, 'validation-report.json');
    const plugin = (v.pluginReports ?? []).find((p) => p.pluginName === PACKAGE_NAME);
    check(plugin, `no ${PACKAGE_NAME} plugin report in ${validationReport}`);
    if (plugin) {
      check(plugin.conclusion === 'failure', `the ${PACKAGE_NAME} plugin concluded ${plugin.conclusion}`);
      const hit = (plugin.violations ?? []).find((x) => x.ruleName === ruleId && x.severity === 'fatal' &&
        (x.violatingConstructs ?? []).some((c) => c.constructPath === constructPath && c.cloudFormationResource && c.cloudFormationResource.logicalId === logicalId));
      check(hit, `no fatal ${ruleId} violation on ${constructPath} (${logicalId}): ${JSON.stringify(plugin.violations).slice(0, 600)}`);
    }
    done(`${ruleId} on ${constructPath} (${logicalId})`);
  },

  /** `keyless check ... --format json` with error findings: exactly the expected ones (RULE@FILE#RESOURCE ...). */
  checkFindings(checkJson, ...expected) {
    const out = readJson(checkJson, 'keyless check --format json');
    const errors = (out.findings ?? []).filter((f) => f.severity === 'error');
    const key = (f) => `${f.ruleId}@${f.file}#${f.resource}`;
    const got = errors.map(key).sort();
    const want = [...expected].sort();
    check(JSON.stringify(got) === JSON.stringify(want), `error findings ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
    check(out.summary && out.summary.errors === want.length, `summary.errors is ${out.summary && out.summary.errors}, expected ${want.length}`);
    for (const f of errors) check(/Fix: /.test(f.message), `finding ${key(f)} names no fix: ${f.message}`);
    done(want.join(' '));
  },

  /** Exit 2: nothing on stdout, exactly one line on stderr naming the file and the reason, no stack trace. */
  unusable(stdoutFile, stderrFile, fileName, reason) {
    const stdout = fs.readFileSync(stdoutFile, 'utf8');
    const stderr = fs.readFileSync(stderrFile, 'utf8');
    check(stdout === '', `stdout is not empty: ${JSON.stringify(stdout.slice(0, 200))}`);
    const lines = stderr.split('\n').filter((l) => l !== '');
    check(lines.length === 1 && stderr.endsWith('\n'), `stderr has ${lines.length} lines, expected exactly one: ${JSON.stringify(stderr.slice(0, 500))}`);
    check(lines[0] && /^keyless( [a-z]+)?: /.test(lines[0]), `the stderr line does not start with "keyless: " or "keyless <command>: ": ${lines[0]}`);
    check(lines[0] && lines[0].includes(fileName), `the stderr line does not name ${fileName}: ${lines[0]}`);
    check(lines[0] && lines[0].includes(reason), `the stderr line does not say "${reason}": ${lines[0]}`);
    check(!/\n\s+at /.test(stderr), 'stderr holds a stack trace');
    done(lines[0]);
  },

  /** The copy of the package in DIR resolves none of ts-node, typescript or the peer dependencies. */
  bare(pkgDir) {
    for (const dep of ['ts-node', 'typescript', 'aws-cdk-lib', 'constructs', 'cdktf']) {
      let found;
      try {
        found = require.resolve(`${dep}/package.json`, { paths: [pkgDir] });
      } catch (e) {
        found = undefined;
      }
      check(found === undefined, `${dep} is resolvable from ${pkgDir} (${found}): the no-ts-node run would prove nothing`);
    }
    done('ts-node, typescript, aws-cdk-lib, constructs and cdktf are not resolvable');
  },

  /** Two JSON files are equal after parsing. */
  sameJson(a, b) {
    const x = readJson(a, a);
    const y = readJson(b, b);
    check(JSON.stringify(x) === JSON.stringify(y), `${path.basename(a)} and ${path.basename(b)} differ`);
    done();
  },
};

const [name, ...args] = process.argv.slice(2);
if (!checks[name]) {
  process.stderr.write(`assert.js: unknown check ${JSON.stringify(name)} (checks: ${Object.keys(checks).join(', ')})\n`);
  process.exit(2);
}
try {
  checks[name](...args);
} catch (e) {
  process.stderr.write(`assertion failed: ${name} threw ${e && e.stack ? e.stack : e}\n`);
  process.exit(1);
}
