#!/usr/bin/env bash
# npm run package:bindings
#
# Generates the jsii bindings of every language target (js, python, java, dotnet, go) with jsii-pacmak,
# offline, into dist/bindings/<language>/, asserts that each language's sources are there with every type
# of the assembly, checks their syntax where this machine has the tool, and builds the Python wheel when a
# Python with setuptools, wheel and pip is present (Debian: python3-setuptools python3-wheel python3-pip).
#
# What this does not do (no network but the npm registry and Debian's packages):
#   - import the Python package: that needs `jsii`, `publication`, `typeguard`, `cattrs`, `constructs`,
#     `aws-cdk-lib`, `cdktf`, `cdktf-cdktf-provider-azuread`, `cdktf-cdktf-provider-snowflake` from PyPI;
#   - compile the Java, C# or Go: that needs software.amazon.jsii:jsii-runtime and the CDK jars from Maven
#     Central, Amazon.JSII.Runtime and the CDK packages from NuGet (and a .NET SDK), and
#     github.com/aws/jsii-runtime-go and the CDK modules from the Go module proxy.
#
# Environment:
#   BINDINGS_OUTDIR=dir        where to generate (default dist/bindings; emptied first)
#   BINDINGS_PYTHON=python     the Python to build the wheel with; it must have setuptools, wheel and pip
#                              (default: the first of /usr/bin/python3, python3 that has them)
#   BINDINGS_REQUIRE_WHEEL=1   fail instead of skipping when no such Python is found
#   KEYLESS_SKIP_BUILD=1       use .jsii as it is instead of rebuilding it when it is stale
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20
export JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION=1
# shellcheck source=scripts/bindings/jsii-fresh.sh
source scripts/bindings/jsii-fresh.sh

outdir="${BINDINGS_OUTDIR:-dist/bindings}"
case "$outdir" in
  /*) ;;
  *) outdir="$root/$outdir" ;;
esac
if [[ "$outdir" == "/" || "$outdir" == "$root" || "$outdir" == "$root/" ]]; then
  echo "error: BINDINGS_OUTDIR=$outdir would empty the repository" >&2
  exit 1
fi
rel() { local p="${1#"$root"/}"; echo "$p"; }

t_start=$(date +%s.%N)
step_start=$t_start
timings=()
statuses=()
elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1fs", b - a }'; }
done_step() {
  timings+=("$(printf '%-34s %s' "$1" "$(elapsed "$step_start")")")
  step_start=$(date +%s.%N)
}
status() { statuses+=("$(printf '%-7s %s' "$1" "$2")"); }

tmp="$(mktemp -d "${TMPDIR:-/tmp}/keyless-bindings.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

# 1. The assembly the bindings are generated from.
ensure_fresh_jsii
done_step "jsii assembly"

pacmak="node_modules/.bin/jsii-pacmak"
if [[ ! -x "$pacmak" ]]; then
  echo "error: $pacmak not found: run npm ci" >&2
  exit 1
fi
version="$(node -p 'JSON.parse(require("fs").readFileSync(".jsii", "utf8")).version')"
name="$(node -p 'JSON.parse(require("fs").readFileSync(".jsii", "utf8")).name')"
py_module="$(node -p 'JSON.parse(require("fs").readFileSync(".jsii", "utf8")).targets.python.module')"
py_dist="$(node -p 'JSON.parse(require("fs").readFileSync(".jsii", "utf8")).targets.python.distName')"
js_tarball="${name}@${version}.jsii.tgz"

# 2. Generate. --code-only: generate sources without building or packaging them (building needs pip, mvn,
# dotnet and go with their registries). npm_config_ignore_scripts: jsii-pacmak runs `npm pack` on this
# package for the tarball every binding embeds, and `npm pack` would otherwise run `prepare` (a second
# jsii build, racing any other build in this checkout); step 1 built what it packs. --no-npmignore: don't
# write a .npmignore into the repository (package.json "files" decides what is packed).
rm -rf "$outdir"
mkdir -p "$(dirname "$outdir")"
echo "jsii-pacmak --code-only: js python java dotnet go -> $(rel "$outdir")"
if ! npm_config_ignore_scripts=true "$pacmak" \
  --code-only \
  --target js --target python --target java --target dotnet --target go \
  --outdir "$outdir" \
  --force --no-npmignore \
  > "$tmp/pacmak.log" 2>&1; then
  grep -v '^!!' "$tmp/pacmak.log" >&2 || true
  echo "error: jsii-pacmak failed (log above)" >&2
  exit 1
fi
# pacmak reports problems it does not fail on as warnings or errors in its log: print them.
if grep -Ei 'error|warn' "$tmp/pacmak.log" | grep -v '^!!' > "$tmp/pacmak.warnings"; then
  echo "jsii-pacmak said:" >&2
  cat "$tmp/pacmak.warnings" >&2
fi
done_step "jsii-pacmak (5 targets)"

# 3. Every language's sources, with every type of the assembly.
node scripts/bindings/assert-generated.js "$outdir" .jsii
done_step "assert generated sources"

# 4. Syntax, where the tool is here (a parse, not a compile: compiling needs the runtimes named above).
py_any=""
for candidate in python3 /usr/bin/python3; do
  if command -v "$candidate" > /dev/null 2>&1 &&
    "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)' 2> /dev/null; then
    py_any="$candidate"
    break
  fi
done
status js "$(rel "$outdir")/js/$js_tarball (npm pack of this package, embedded by every binding)"
if [[ -n "$py_any" ]]; then
  "$py_any" - "$outdir" <<'EOF'
import ast, pathlib, sys, xml.etree.ElementTree as ET
out = pathlib.Path(sys.argv[1])
py = sorted((out / "python").rglob("*.py")) + sorted((out / "python").glob("src/*/_jsii/bin/*"))
assert py, "no python sources"
for f in py:
    ast.parse(f.read_text(encoding="utf8"), filename=str(f))
xml = [out / "java" / "pom.xml", *sorted((out / "dotnet").rglob("*.csproj"))]
for f in xml:
    ET.parse(f)
print(f"syntax: {len(py)} python files (with the bin scripts) parse ({sys.executable}); pom.xml and the .csproj are well-formed XML")
EOF
  status python "sources generated; parsed by python ast; not imported (see wheel)"
else
  status python "sources generated; not parsed (no python3 >= 3.10)"
fi
if command -v javac > /dev/null 2>&1; then
  # javac stops after parsing: syntax errors fail, unresolved jsii/CDK types are not looked at.
  find "$outdir/java/src/main/java" -name '*.java' > "$tmp/java-sources"
  javac -XDshould-stop.ifNoError=PARSE -XDshould-stop.ifError=PARSE -d "$tmp/javac" "@$tmp/java-sources"
  echo "syntax: $(wc -l < "$tmp/java-sources" | tr -d ' ') java files parse (javac $(javac -version 2>&1 | awk '{print $2}'), parse phase only)"
  status java "sources generated; parsed by javac; not compiled (needs jsii-runtime + CDK jars from Maven Central)"
else
  status java "sources generated; not parsed (no javac); not compiled (needs jsii-runtime + CDK jars from Maven Central)"
fi
if command -v gofmt > /dev/null 2>&1; then
  # gofmt -e exits 2 on a syntax error; its list of files it would reformat is not a failure.
  gofmt -e -l "$outdir/go" > /dev/null
  echo "syntax: $(find "$outdir/go" -name '*.go' | wc -l | tr -d ' ') go files parse (gofmt)"
  status go "sources generated; parsed by gofmt; not built (needs jsii-runtime-go + CDK modules from the Go proxy)"
else
  status go "sources generated; not parsed (no gofmt); not built (needs jsii-runtime-go + CDK modules from the Go proxy)"
fi
status dotnet "sources generated; not compiled (no .NET SDK; needs Amazon.JSII.Runtime + CDK packages from NuGet)"
done_step "syntax checks"

# 5. The Python wheel, from a copy of the generated sources (the build writes build/ and *.egg-info).
# --no-build-isolation: build with the setuptools and wheel installed here instead of fetching the
# versions pyproject.toml pins; --no-index --no-deps: fetch nothing.
wheel_py=""
for candidate in ${BINDINGS_PYTHON:-/usr/bin/python3 python3}; do
  if command -v "$candidate" > /dev/null 2>&1 &&
    "$candidate" -c 'import setuptools, wheel, pip' 2> /dev/null; then
    wheel_py="$candidate"
    break
  fi
done
wheel_dir="$outdir/wheel"
if [[ -n "$wheel_py" ]]; then
  cp -r "$outdir/python" "$tmp/python-src"
  mkdir -p "$wheel_dir"
  versions="$("$wheel_py" -c 'import sys, setuptools, wheel; print(f"python {sys.version.split()[0]}, setuptools {setuptools.__version__}, wheel {wheel.__version__}")')"
  echo "building the wheel with $wheel_py ($versions)"
  if ! "$wheel_py" -m pip wheel --no-deps --no-build-isolation --no-index \
    --no-cache-dir --disable-pip-version-check -q -w "$wheel_dir" "$tmp/python-src" > "$tmp/wheel.log" 2>&1; then
    cat "$tmp/wheel.log" >&2
    echo "error: building the Python wheel failed" >&2
    exit 1
  fi
  whl="$wheel_dir/${py_dist//-/_}-${version}-py3-none-any.whl"
  if [[ ! -f "$whl" ]]; then
    echo "error: expected wheel $(rel "$whl") not found; $(rel "$wheel_dir") has: $(ls "$wheel_dir")" >&2
    exit 1
  fi
  "$wheel_py" scripts/bindings/check-wheel.py "$whl" "$py_module" "$py_dist" "$version" "$js_tarball" \
    "$outdir/js/$js_tarball"
  status wheel "$(rel "$whl") ($(du -k "$whl" | cut -f1) KiB); not imported (needs jsii, publication, constructs, aws-cdk-lib, cdktf, cdktf-cdktf-provider-* from PyPI)"
else
  msg="no Python with setuptools, wheel and pip (apt-get install -y --no-install-recommends python3-setuptools python3-wheel python3-pip)"
  if [[ "${BINDINGS_REQUIRE_WHEEL:-}" == "1" ]]; then
    echo "error: BINDINGS_REQUIRE_WHEEL=1 but $msg" >&2
    exit 1
  fi
  echo "python wheel: SKIPPED: $msg" >&2
  status wheel "SKIPPED: $msg"
fi
done_step "python wheel"

echo
echo "bindings in $(rel "$outdir"):"
printf '  %s\n' "${statuses[@]}"
echo "timings:"
printf '  %s\n' "${timings[@]}"
printf '  %-34s %s\n' "total" "$(elapsed "$t_start")"
