#!/usr/bin/env bash
# Consumer test (`npm run test:consumer`): the package as users get it.
#
# Builds and packs cdk-keyless, installs the tarball into a fresh temporary project together with the peer
# dependencies at the versions the README names (from the npm cache when it has them), and in that project:
# requires it from plain JavaScript, type-checks a CDK app and a CDKTF app in strict mode against the shipped
# .d.ts (skipLibCheck off), type-checks and loads it again with the optional peer @cdktf/provider-google
# unresolvable (scripts/consumer/no-google/), runs `npx cdk synth` through a cdk.json that uses ts-node --prefer-ts-exts,
# synthesizes the CDKTF app, runs `npx keyless check` on both outputs and on bad inputs, and checks that the
# CLI needs neither ts-node nor the peer dependencies. The fixtures are real files under scripts/consumer/.
#
# Prints `consumer: <step>: ok` per step; on failure, `consumer: FAIL <step>: ...` with the failed assertion.
#
# Environment:
#   KEEP=1                       keep the temporary directory (its path is printed)
#   KEYLESS_CONSUMER_PREBUILT=1  skip `npm run build` (the checkout was just built, e.g. by `npm ci`)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
REPO=$(pwd -P)
FIXTURES="$REPO/scripts/consumer/project"
ASSERT="$REPO/scripts/consumer/assert.js"
START=$SECONDS

# When run through `npm run`, npm exports its own context (npm_config_local_prefix=<this repo> would make
# `npm install` in the temporary project install into the checkout) and puts this repo's node_modules/.bin
# on PATH (so `npx tsc` could run the checkout's TypeScript). The consumer project must see neither.
while IFS= read -r var; do unset "$var"; done < <(env | sed -n 's/^\(npm_config_local_prefix\|npm_package_[A-Za-z0-9_]*\|npm_lifecycle_[A-Za-z0-9_]*\|npm_command\|INIT_CWD\|TS_NODE_[A-Z_]*\|NODE_PATH\)=.*/\1/p')
PATH=$(printf '%s' "$PATH" | tr ':' '\n' | grep -v -e '/node_modules/\.bin$' -e '/node-gyp-bin$' | paste -sd: -)
export PATH
# Offline synth: no version check, notices, telemetry or instance-metadata lookups.
export CDK_DISABLE_VERSION_CHECK=1 CDK_DISABLE_CLI_TELEMETRY=true AWS_EC2_METADATA_DISABLED=true
export JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION=1 JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20

WORK=$(mktemp -d "${TMPDIR:-/tmp}/keyless-consumer.XXXXXX")
WORK=$(cd "$WORK" && pwd -P)
LOGS="$WORK/logs"
mkdir -p "$LOGS"
cleanup() {
  if [ "${KEEP:-}" = 1 ]; then
    echo "consumer: kept $WORK"
  else
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT

STEP=setup
STEP_START=$SECONDS
step() { STEP=$1; STEP_START=$SECONDS; }
ok() { echo "consumer: $STEP: ok ($((SECONDS - STEP_START)) s)${1:+ - $1}"; }
fail() {
  echo "consumer: FAIL $STEP: $1 (after $((SECONDS - START)) s)" >&2
  if [ -n "${2:-}" ] && [ -s "$2" ]; then
    echo "---- last lines of $2" >&2
    tail -n "${3:-40}" "$2" >&2
    echo "----" >&2
  fi
  [ "${KEEP:-}" = 1 ] || echo "consumer: (KEEP=1 keeps $WORK with the logs and the project)" >&2
  exit 1
}
# run LOG CMD...: runs CMD with its output in $LOGS/LOG; fails the step with the log's tail if it fails.
run() {
  local log="$LOGS/$1"
  shift
  "$@" > "$log" 2>&1 || fail "command failed (exit $?): $*" "$log"
}
# assert CHECK ARGS...: one check of scripts/consumer/assert.js; prints its summary line.
SUMMARY=
assert() {
  local out="$LOGS/assert-$1.out"
  if ! node "$ASSERT" "$@" > "$out" 2> "$out.err"; then
    fail "$(tr '\n' ' ' < "$out.err" | sed 's/ assertion failed: /; /g; s/ *$//')"
  fi
  SUMMARY=$(cat "$out")
}
# expect_exit CODE LOG CMD...: runs CMD (stdout to LOG, stderr to LOG.err) and requires exit status CODE.
expect_exit() {
  local want=$1 log="$LOGS/$2"
  shift 2
  local got=0
  "$@" > "$log" 2> "$log.err" || got=$?
  [ "$got" -eq "$want" ] || fail "expected exit $want, got $got: $*" "$log.err"
}
# Offline for real where a network namespace is available (unprivileged user namespaces may be off in CI).
OFFLINE=()
OFFLINE_NOTE="network available (no unprivileged network namespace)"
if command -v unshare > /dev/null 2>&1 && unshare -rn true > /dev/null 2>&1; then
  OFFLINE=(unshare -rn)
  OFFLINE_NOTE="run without network"
fi

# ---------------------------------------------------------------------------------------------------------
step build
if [ "${KEYLESS_CONSUMER_PREBUILT:-}" = 1 ]; then
  ok "skipped (KEYLESS_CONSUMER_PREBUILT=1)"
else
  run build.log npm run build
  ok "npm run build (jsii)"
fi

step pack
# Built above, so pack without scripts: stdout is then exactly npm's JSON.
npm pack --ignore-scripts --json --pack-destination "$WORK" > "$WORK/pack.json" 2> "$LOGS/pack.err" \
  || fail "npm pack failed" "$LOGS/pack.err"
TARBALL="$WORK/$(node -e 'process.stdout.write(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))[0].filename)' "$WORK/pack.json")" \
  || fail "cannot read the tarball name from npm pack --json"
[ -f "$TARBALL" ] || fail "npm pack did not write $TARBALL"
ok "$(basename "$TARBALL")"

step "tarball file list"
assert tarball "$WORK/pack.json" "$REPO"
ok "$SUMMARY"

step "consumer project"
APP="$WORK/consumer"
mkdir -p "$APP"
cp -R "$FIXTURES/." "$APP/"
assert versions "$APP/package.json" "$REPO/package.json"
[ "$(cd "$APP" && npm prefix 2> /dev/null)" = "$APP" ] || fail "npm prefix in $APP is $(cd "$APP" && npm prefix), not the project: npm install would install elsewhere"
ok "$SUMMARY"

cd "$APP"

step "npm install"
run install.log npm install --prefer-offline --no-audit --no-fund "$TARBALL"
assert installed "$APP"
ok "$(grep -o 'added [0-9]* packages[^,]*' "$LOGS/install.log" | head -n 1); $SUMMARY"

step "require from JavaScript"
run smoke.log node smoke.js
ok "$(tail -n 1 "$LOGS/smoke.log")"

step "tsc strict"
run tsc.log npx tsc --noEmit -p .
ok "bin/app.ts, bin/leaky-app.ts, tf/main.ts, tf/hcl-module.ts: strict, skipLibCheck false"

step "without the optional peer"
# The same installed packages minus @cdktf/provider-google, in a second project: cdk-keyless is copied (a link would
# resolve from the first project's node_modules, which holds the peer), everything else linked. Its types must check
# with skipLibCheck off, and it must load, with only a pool refusing to build (rule gcp.provider-package).
NO_PEER="$WORK/no-google"
mkdir -p "$NO_PEER/node_modules"
cp -R "$REPO/scripts/consumer/no-google/." "$NO_PEER/"
for entry in node_modules/*; do
  name=${entry#node_modules/}
  if [ "$name" = cdk-keyless ]; then
    cp -R "$entry" "$NO_PEER/node_modules/"
  elif [ "${name#@}" != "$name" ]; then
    mkdir -p "$NO_PEER/node_modules/$name"
    for scoped in "$entry"/*; do
      [ "$scoped" = node_modules/@cdktf/provider-google ] || ln -s "$APP/$scoped" "$NO_PEER/node_modules/$name/"
    done
  else
    ln -s "$APP/$entry" "$NO_PEER/node_modules/"
  fi
done
[ ! -e "$NO_PEER/node_modules/@cdktf/provider-google" ] || fail "@cdktf/provider-google is still in $NO_PEER/node_modules"
run tsc-no-peer.log node "$APP/node_modules/typescript/bin/tsc" -p "$NO_PEER"
(cd "$NO_PEER" && node load.js) > "$LOGS/load-no-peer.log" 2>&1 || fail "cdk-keyless does not load without the optional peer" "$LOGS/load-no-peer.log"
ok "tsc strict, skipLibCheck false, with GcpWorkloadIdentityPool; $(tail -n 1 "$LOGS/load-no-peer.log")"

step "cdk synth"
run cdk-synth.log ${OFFLINE[@]+"${OFFLINE[@]}"} npx cdk synth --quiet
assert cdkOut cdk.out "$APP"
ok "cdk.json app 'npx ts-node --prefer-ts-exts bin/app.ts', $OFFLINE_NOTE; $SUMMARY"

step "cdktf synth"
run cdktf-synth.log ${OFFLINE[@]+"${OFFLINE[@]}"} npx ts-node --prefer-ts-exts tf/main.ts
assert cdktfOut cdktf.out
ok "$SUMMARY"

step "cdktf aspect over an HCL module"
# The aspect parses the module's .tf files with the bundled @cdktf/hcl2json in a worker thread (the validation is
# synchronous): a password-holding Snowflake user in the module fails the synth.
expect_exit 1 cdktf-hcl-module.log npx ts-node --transpile-only --prefer-ts-exts tf/hcl-module.ts
grep -q 'KL-SF-01' "$LOGS/cdktf-hcl-module.log.err" "$LOGS/cdktf-hcl-module.log" \
  && grep -q 'module.legacy.snowflake_user.legacy' "$LOGS/cdktf-hcl-module.log.err" "$LOGS/cdktf-hcl-module.log" \
  || fail "the cdktf aspect did not report KL-SF-01 on module.legacy.snowflake_user.legacy" "$LOGS/cdktf-hcl-module.log.err"
ok "synth exit 1, KL-SF-01 on module.legacy.snowflake_user.legacy (inputs/legacy-hcl read in a worker thread)"

step "keyless check (clean)"
expect_exit 0 check.json ${OFFLINE[@]+"${OFFLINE[@]}"} npx keyless check cdk.out cdktf.out --format json
assert checkClean "$LOGS/check.json"
ok "exit 0; $SUMMARY"

step "keyless report"
expect_exit 0 report.json npx keyless report cdk.out cdktf.out --format json
assert report "$LOGS/report.json"
ok "$SUMMARY"

step "guardrails refuse a fallback credential"
# Type-checked by the tsc step already, so ts-node only transpiles here.
LEAKY_APP="npx ts-node --transpile-only --prefer-ts-exts bin/leaky-app.ts"
expect_exit 1 synth-refused.log npx cdk synth --quiet --app "$LEAKY_APP" --output cdk.refused.out
assert synthRefused cdk.refused.out/validation-report.json KL-AWS-01 DeployerKey Leaky/DeployerKey
ok "cdk synth exit 1; $SUMMARY"

step "keyless check (fallback credentials)"
run synth-leaky.log npx cdk synth --quiet --app "$LEAKY_APP" --output cdk.leaky.out -c guardrails=off
expect_exit 1 check-leaky.json npx keyless check cdk.leaky.out --format json
assert checkFindings "$LOGS/check-leaky.json" 'KL-AWS-01@cdk.leaky.out/Leaky.template.json#DeployerKey'
leaky_app=$SUMMARY
# A CloudFormation JSON template, a YAML one with short-form tags (bundled yaml), and HCL (bundled @cdktf/hcl2json).
expect_exit 1 check-inputs.json npx keyless check inputs/leaky.template.json inputs/leaky.template.yaml inputs/legacy-hcl inputs/tfplan.json --format json
assert checkFindings "$LOGS/check-inputs.json" \
  'KL-AWS-01@inputs/leaky.template.json#CiUserKey' \
  'KL-AWS-01@inputs/leaky.template.yaml#SyncUserKey' \
  'KL-AWS-01@inputs/tfplan.json#aws_iam_access_key.sync[0]' \
  'KL-SF-01@inputs/legacy-hcl/main.tf#snowflake_user.legacy'
ok "exit 1; $leaky_app $SUMMARY"

step "keyless check (unusable input)"
expect_exit 2 check-malformed.out npx keyless check inputs/malformed.template.json --format json
assert unusable "$LOGS/check-malformed.out" "$LOGS/check-malformed.out.err" inputs/malformed.template.json 'malformed JSON'
malformed=$SUMMARY
expect_exit 2 check-option.out npx keyless check cdk.out --no-such-option
assert unusable "$LOGS/check-option.out" "$LOGS/check-option.out.err" --no-such-option 'unknown option'
ok "exit 2, one line: $malformed"

step "keyless without ts-node"
# Plain node, NODE_PATH unset (above): the bin runs the compiled CLI.
expect_exit 0 help.out node node_modules/cdk-keyless/bin/keyless --help
grep -q '^  keyless check PATH' "$LOGS/help.out" || fail "keyless --help prints no usage: $(head -n 3 "$LOGS/help.out")"
expect_exit 0 version.out node node_modules/cdk-keyless/bin/keyless --version
want_version=$(node -p 'require("cdk-keyless/package.json").version')
[ "$(cat "$LOGS/version.out")" = "$want_version" ] || fail "keyless --version printed '$(cat "$LOGS/version.out")', expected $want_version"
# A copy of the installed package alone (bundled dependencies only: no ts-node, typescript or peers in reach)
# gives the same verdict on the same outputs.
BARE="$WORK/bare"
mkdir -p "$BARE/node_modules" "$BARE/home"
cp -R node_modules/cdk-keyless "$BARE/node_modules/"
assert bare "$BARE/node_modules/cdk-keyless"
HOME="$BARE/home" expect_exit 0 check-bare.json node "$BARE/node_modules/cdk-keyless/bin/keyless" check cdk.out cdktf.out --format json
assert sameJson "$LOGS/check-bare.json" "$LOGS/check.json"
HOME="$BARE/home" expect_exit 1 check-bare-inputs.json node "$BARE/node_modules/cdk-keyless/bin/keyless" check inputs/leaky.template.yaml inputs/legacy-hcl --format json
assert checkFindings "$LOGS/check-bare-inputs.json" 'KL-AWS-01@inputs/leaky.template.yaml#SyncUserKey' 'KL-SF-01@inputs/legacy-hcl/main.tf#snowflake_user.legacy'
ok "--help, --version $want_version; the package alone checks cdk.out, cdktf.out, YAML and HCL"

echo "consumer: all steps passed in $((SECONDS - START)) s"
