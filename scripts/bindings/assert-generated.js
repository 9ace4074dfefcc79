#!/usr/bin/env node
// Asserts that jsii-pacmak generated the sources of every language target, and that every type of the
// jsii assembly is in each of them. Called by scripts/bindings.sh as
//   node scripts/bindings/assert-generated.js <pacmak outdir> [.jsii]
// Names, packages and file names are taken from the assembly (its `targets` come from package.json's
// jsii.targets), so a renamed target setting is checked as it is configured.
'use strict';

const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');

const outdir = path.resolve(process.argv[2] || 'dist/bindings');
const assemblyFile = path.resolve(process.argv[3] || '.jsii');
const assembly = JSON.parse(fs.readFileSync(assemblyFile, 'utf8'));
const { name, version } = assembly;
const targets = assembly.targets || {};
const types = Object.values(assembly.types || {});
// Types of the root module only: this library has no submodules. A submodule would need its own
// directories below (python sub-package, java sub-package, ...): fail loudly instead of passing vacuously.
if (Object.keys(assembly.submodules || {}).length > 0) {
  fail([`the assembly has submodules (${Object.keys(assembly.submodules).join(', ')}): extend this check`]);
}
const shortName = (t) => t.fqn.slice(name.length + 1);
const jsTarball = `${name}@${version}.jsii.tgz`;
const embeddedTarball = `${name}-${version}.tgz`;

const failures = [];
const summary = [];

function fail(messages) {
  for (const m of messages) console.error(`error: ${m}`);
  process.exit(1);
}
function check(cond, message) {
  if (!cond) failures.push(message);
  return cond;
}
function file(rel) {
  return path.join(outdir, rel);
}
function exists(rel, what) {
  return check(fs.existsSync(file(rel)), `${what}: ${path.relative(process.cwd(), file(rel))} is missing`);
}
function read(rel) {
  return fs.existsSync(file(rel)) ? fs.readFileSync(file(rel), 'utf8') : '';
}
function nonEmpty(rel, what) {
  return exists(rel, what) && check(fs.statSync(file(rel)).size > 0, `${what}: ${rel} is empty`);
}
function tarList(rel) {
  try {
    return execFileSync('tar', ['tzf', file(rel)], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).split('\n');
  } catch (e) {
    failures.push(`${rel} is not a readable tarball: ${e.message}`);
    return [];
  }
}
function missingTypes(lang, predicate) {
  const missing = types.filter((t) => !predicate(t)).map((t) => t.fqn);
  check(missing.length === 0, `${lang}: ${missing.length} of ${types.length} types missing: ${missing.join(', ')}`);
  return missing.length;
}
function sameBytes(relA, relB, what) {
  if (!fs.existsSync(file(relA)) || !fs.existsSync(file(relB))) return;
  check(fs.readFileSync(file(relA)).equals(fs.readFileSync(file(relB))), `${what}: ${relB} differs from ${relA}`);
}

check(types.length > 0, `${assemblyFile} has no types`);

// js: the npm tarball that every other language embeds.
{
  const tgz = `js/${jsTarball}`;
  if (nonEmpty(tgz, 'js')) {
    const entries = new Set(tarList(tgz));
    for (const e of ['package/package.json', 'package/.jsii', 'package/lib/index.js', 'package/lib/index.d.ts']) {
      check(entries.has(e), `js: ${tgz} has no ${e}`);
    }
  }
  summary.push(`js      ${tgz}`);
}

// python
if (check(targets.python, 'python: no python target in the assembly (package.json jsii.targets.python)')) {
  const mod = targets.python.module;
  const pkgDir = `python/src/${mod.replace(/\./g, '/')}`;
  nonEmpty('python/setup.py', 'python');
  exists('python/pyproject.toml', 'python');
  const setup = read('python/setup.py');
  check(setup.includes(`"name": "${targets.python.distName}"`), `python: setup.py does not name the distribution ${targets.python.distName}`);
  check(setup.includes(`"${mod}"`), `python: setup.py does not list the package ${mod}`);
  if (nonEmpty(`${pkgDir}/__init__.py`, 'python')) {
    const init = read(`${pkgDir}/__init__.py`);
    check(/^import jsii$/m.test(init), `python: ${pkgDir}/__init__.py does not import jsii`);
    missingTypes('python', (t) => init.includes(`jsii_type="${t.fqn}"`));
  }
  const jsiiInit = read(`${pkgDir}/_jsii/__init__.py`);
  check(
    jsiiInit.includes(`jsii.JSIIAssembly.load(\n    "${name}", "${version}", __name__[0:-6], "${jsTarball}"`),
    `python: ${pkgDir}/_jsii/__init__.py does not load the assembly ${jsTarball}`,
  );
  exists(`${pkgDir}/py.typed`, 'python');
  sameBytes(`js/${jsTarball}`, `${pkgDir}/_jsii/${jsTarball}`, 'python');
  summary.push(`python  ${pkgDir} (distribution ${targets.python.distName})`);
}

// java
if (check(targets.java, 'java: no java target in the assembly (package.json jsii.targets.java)')) {
  const pkg = targets.java.package;
  const srcDir = `java/src/main/java/${pkg.replace(/\./g, '/')}`;
  const pom = read('java/pom.xml');
  check(pom.includes(`<groupId>${targets.java.maven.groupId}</groupId>`), `java: pom.xml has no <groupId>${targets.java.maven.groupId}</groupId>`);
  check(pom.includes(`<artifactId>${targets.java.maven.artifactId}</artifactId>`), `java: pom.xml has no <artifactId>${targets.java.maven.artifactId}</artifactId>`);
  check(pom.includes('<artifactId>jsii-runtime</artifactId>'), 'java: pom.xml does not depend on jsii-runtime');
  exists(`${srcDir}/$Module.java`, 'java');
  missingTypes('java', (t) => read(`${srcDir}/${shortName(t)}.java`).includes(`"${t.fqn}"`));
  sameBytes(`js/${jsTarball}`, `java/src/main/resources/${pkg.replace(/\./g, '/')}/${jsTarball}`, 'java');
  summary.push(`java    ${srcDir} (${targets.java.maven.groupId}:${targets.java.maven.artifactId})`);
}

// dotnet
if (check(targets.dotnet, 'dotnet: no dotnet target in the assembly (package.json jsii.targets.dotnet)')) {
  const { packageId, namespace } = targets.dotnet;
  const projDir = `dotnet/${packageId}`;
  const csproj = read(`${projDir}/${packageId}.csproj`);
  check(csproj.includes(`<PackageId>${packageId}</PackageId>`), `dotnet: ${projDir}/${packageId}.csproj is missing or has no <PackageId>${packageId}</PackageId>`);
  check(csproj.includes('Include="Amazon.JSII.Runtime"'), `dotnet: ${packageId}.csproj does not reference Amazon.JSII.Runtime`);
  check(csproj.includes(`<EmbeddedResource Include="${embeddedTarball}" />`), `dotnet: ${packageId}.csproj does not embed ${embeddedTarball}`);
  const srcDir = `${projDir}/${namespace.replace(/\./g, '/')}`;
  missingTypes('dotnet', (t) => read(`${srcDir}/${shortName(t)}.cs`).includes(`"${t.fqn}"`));
  sameBytes(`js/${jsTarball}`, `${projDir}/${embeddedTarball}`, 'dotnet');
  summary.push(`dotnet  ${projDir}/${packageId}.csproj (namespace ${namespace})`);
}

// go
if (check(targets.go, 'go: no go target in the assembly (package.json jsii.targets.go)')) {
  const { moduleName, packageName } = targets.go;
  const modDir = `go/${packageName}`;
  const goMod = read(`${modDir}/go.mod`);
  check(goMod.startsWith(`module ${moduleName}/${packageName}\n`), `go: ${modDir}/go.mod is missing or does not declare module ${moduleName}/${packageName}`);
  check(goMod.includes('github.com/aws/jsii-runtime-go '), 'go: go.mod does not require github.com/aws/jsii-runtime-go');
  const main = read(`${modDir}/main.go`);
  check(main.includes(`package ${packageName}\n`), `go: ${modDir}/main.go is missing or not package ${packageName}`);
  missingTypes('go', (t) => fs.existsSync(file(`${modDir}/${shortName(t)}.go`)) && main.includes(`"${t.fqn}"`));
  exists(`${modDir}/jsii/jsii.go`, 'go');
  sameBytes(`js/${jsTarball}`, `${modDir}/jsii/${embeddedTarball}`, 'go');
  summary.push(`go      ${modDir} (module ${moduleName}/${packageName})`);
}

if (failures.length > 0) fail(failures);
console.log(`generated sources: all ${types.length} types of ${name}@${version} in every language`);
for (const line of summary) console.log(`  ${line}`);
