"""Asserts what a built cdk-keyless wheel holds. Called by scripts/bindings.sh as

    python3 scripts/bindings/check-wheel.py WHEEL MODULE DIST_NAME VERSION JSII_TARBALL [SAME_AS_FILE]

It checks the wheel's own contents only (zip entries and METADATA); it does not import the package:
importing needs the jsii Python runtime and the CDK packages from PyPI (see scripts/bindings.sh).
"""

import sys
import zipfile


def main(argv):
    wheel, module, dist_name, version, tarball = argv[1:6]
    same_as = argv[6] if len(argv) > 6 else None
    pkg = module.replace(".", "/")
    errors = []
    with zipfile.ZipFile(wheel) as zf:
        bad = zf.testzip()
        if bad is not None:
            errors.append(f"corrupt entry {bad}")
        names = set(zf.namelist())
        dist_info = f"{dist_name.replace('-', '_')}-{version}.dist-info"
        required = [
            f"{pkg}/__init__.py",
            f"{pkg}/py.typed",
            f"{pkg}/_jsii/__init__.py",
            f"{pkg}/_jsii/{tarball}",
            f"{dist_info}/METADATA",
            f"{dist_info}/WHEEL",
            f"{dist_info}/RECORD",
        ]
        for name in required:
            if name not in names:
                errors.append(f"no {name}")
        if f"{pkg}/__init__.py" in names:
            init = zf.read(f"{pkg}/__init__.py").decode("utf8")
            if "import jsii\n" not in init:
                errors.append(f"{pkg}/__init__.py does not import jsii")
        if f"{pkg}/_jsii/__init__.py" in names:
            jsii_init = zf.read(f"{pkg}/_jsii/__init__.py").decode("utf8")
            if f'"{tarball}"' not in jsii_init:
                errors.append(f"{pkg}/_jsii/__init__.py does not load {tarball}")
        if f"{pkg}/_jsii/{tarball}" in names:
            data = zf.read(f"{pkg}/_jsii/{tarball}")
            if data[:2] != b"\x1f\x8b":
                errors.append(f"{pkg}/_jsii/{tarball} is not gzip data")
            if same_as is not None:
                with open(same_as, "rb") as fp:
                    if fp.read() != data:
                        errors.append(f"{pkg}/_jsii/{tarball} differs from {same_as}")
        if f"{dist_info}/METADATA" in names:
            meta = zf.read(f"{dist_info}/METADATA").decode("utf8")
            if f"\nName: {dist_name}\n" not in meta:
                errors.append(f"METADATA does not name {dist_name}")
            if f"\nVersion: {version}\n" not in meta:
                errors.append(f"METADATA does not give version {version}")
            if "\nRequires-Dist: jsii" not in meta:
                errors.append("METADATA does not require jsii")
    if errors:
        for e in errors:
            print(f"error: {wheel}: {e}", file=sys.stderr)
        return 1
    print(f"wheel ok: {wheel} has {pkg}/__init__.py, {pkg}/_jsii/{tarball} and {dist_info}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
