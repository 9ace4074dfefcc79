#!/usr/bin/env bash
# npm run docgen        writes API.md (the API reference, TypeScript) from the jsii assembly (.jsii)
# npm run docgen:check  fails when the committed API.md differs from what docgen writes now
#
# Both rebuild .jsii first when it is missing or older than lib/**/*.ts, package.json, tsconfig.json or
# README.md (KEYLESS_SKIP_BUILD=1 uses it as it is). The output depends only on .jsii and the installed
# (locked) dependencies' assemblies, and is byte-for-byte the same run after run.
set -euo pipefail
cd "$(dirname "$0")/.."
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20
export JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION=1
# shellcheck source=scripts/bindings/jsii-fresh.sh
source scripts/bindings/jsii-fresh.sh

mode=write
case "${1:-}" in
  "") ;;
  --check) mode=check ;;
  *)
    echo "usage: $0 [--check]" >&2
    exit 2
    ;;
esac

docgen="node_modules/.bin/jsii-docgen"
if [[ ! -x "$docgen" ]]; then
  echo "error: $docgen not found: run npm ci" >&2
  exit 1
fi

ensure_fresh_jsii

tmp="$(mktemp -d "${TMPDIR:-/tmp}/keyless-api-md.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

# --language typescript --format md: one file, the TypeScript API (the other languages' names are derived
# from it by jsii). Generated into a temp dir and moved, so a failed run never leaves a half-written API.md.
if ! "$docgen" --language typescript --format md --output "$tmp/API.md" > "$tmp/docgen.log" 2>&1; then
  grep -v '^!!' "$tmp/docgen.log" >&2 || true
  echo "error: jsii-docgen failed (log above)" >&2
  exit 1
fi
if [[ ! -s "$tmp/API.md" ]]; then
  echo "error: jsii-docgen wrote no $tmp/API.md" >&2
  exit 1
fi

if [[ "$mode" == check ]]; then
  if [[ ! -f API.md ]]; then
    echo "API.md is missing: run npm run docgen" >&2
    exit 1
  fi
  if ! cmp -s "$tmp/API.md" API.md; then
    echo "API.md is stale: run npm run docgen" >&2
    echo "(diff of the committed API.md against the generated one, first 40 lines:)" >&2
    diff -u --label API.md --label 'API.md (generated)' API.md "$tmp/API.md" | head -n 40 >&2 || true
    exit 1
  fi
  echo "API.md is up to date ($(wc -c < API.md | tr -d ' ') bytes)"
else
  mv "$tmp/API.md" API.md
  echo "wrote API.md ($(wc -c < API.md | tr -d ' ') bytes)"
fi
