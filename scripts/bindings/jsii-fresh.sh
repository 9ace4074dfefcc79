# Sourced by scripts/bindings.sh and scripts/api-md.sh (not run on its own).
#
# ensure_fresh_jsii: (re)builds the jsii assembly (.jsii, lib/**/*.js) with `npm run build` when .jsii is
# missing or older than anything jsii reads: lib/**/*.ts (not the generated .d.ts), package.json (targets,
# dependencies), tsconfig.json, README.md (embedded in the assembly). A build that collides with a build
# someone else runs in the same checkout is retried (up to 3 attempts).
# KEYLESS_SKIP_BUILD=1 uses .jsii as it is (it must exist).

jsii_stale_reason() {
  if [[ ! -f .jsii ]]; then
    echo ".jsii is missing"
    return 0
  fi
  local newer
  newer="$(find lib -name '*.ts' ! -name '*.d.ts' -newer .jsii -print -quit 2>/dev/null || true)"
  if [[ -z "$newer" ]]; then
    local f
    for f in package.json tsconfig.json README.md; do
      if [[ -f "$f" && "$f" -nt .jsii ]]; then
        newer="$f"
        break
      fi
    done
  fi
  if [[ -n "$newer" ]]; then
    echo "$newer is newer than .jsii"
  fi
}

ensure_fresh_jsii() {
  local reason
  reason="$(jsii_stale_reason)"
  if [[ "${KEYLESS_SKIP_BUILD:-}" == "1" ]]; then
    if [[ ! -f .jsii ]]; then
      echo "error: KEYLESS_SKIP_BUILD=1 but .jsii is missing: run npm run build" >&2
      return 1
    fi
    [[ -n "$reason" ]] && echo "warning: $reason (KEYLESS_SKIP_BUILD=1: not rebuilding)" >&2
    return 0
  fi
  if [[ -z "$reason" ]]; then
    echo "jsii assembly is up to date (.jsii)"
    return 0
  fi
  local attempt
  for attempt in 1 2 3; do
    echo "building the jsii assembly ($reason; attempt $attempt): npm run build"
    if npm run --silent build; then
      if [[ -f .jsii ]]; then
        return 0
      fi
    fi
    echo "warning: npm run build failed (attempt $attempt); retrying in 5s in case a concurrent build collided" >&2
    sleep 5
  done
  echo "error: npm run build failed 3 times" >&2
  return 1
}
