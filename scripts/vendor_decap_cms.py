"""Vendor the content manager's code: fetch the pinned decap-cms package from the npm registry,
check it against the lock file's integrity, and ship its bundle in the Python package.

    python scripts/vendor_decap_cms.py           # refresh backstory/site/admin/ from the registry
    python scripts/vendor_decap_cms.py --check   # exit 1 unless the shipped copy is the registry's

The version is pinned in vendor/decap-cms/package.json, the tarball's sha512 in its
package-lock.json (refresh both with ``npm install --package-lock-only decap-cms@X.Y.Z`` in that
folder). ``npm pack`` downloads the one tarball (or takes it from npm's cache); the package's
dependencies are never installed: the bundle holds everything it needs.

What is shipped, in backstory/site/admin/: ``decap-cms.js.gz`` (the bundle, gzipped to keep the
repository and the wheel small; ``backstory cms`` writes it out byte for byte), its third-party
notices ``decap-cms.js.LICENSE.txt`` (which the bundle's first line points to) and
``decap-cms.json`` (package, version, integrity, the bundle's sha256).
"""

from __future__ import annotations

import argparse
import base64
import gzip
import hashlib
import io
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MANIFEST = REPO / "vendor" / "decap-cms"
SHIPPED = REPO / "backstory" / "site" / "admin"
PACKAGE = "decap-cms"
FILES = ("decap-cms.js", "decap-cms.js.LICENSE.txt")
"""The files taken from the tarball's ``package/dist/``."""


def pinned() -> tuple[str, str]:
    """The pinned version (package.json) and the tarball's integrity (package-lock.json)."""
    manifest = json.loads((MANIFEST / "package.json").read_text(encoding="utf-8"))
    version = manifest["dependencies"][PACKAGE]
    lock = json.loads((MANIFEST / "package-lock.json").read_text(encoding="utf-8"))
    entry = lock["packages"][f"node_modules/{PACKAGE}"]
    if entry["version"] != version:
        raise SystemExit(f"the lock has {PACKAGE} {entry['version']}, package.json {version}")
    return version, entry["integrity"]


def registry_files(version: str, integrity: str) -> dict[str, bytes]:
    """The bundle and its notices from the registry's tarball, after checking its integrity."""
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit("npm not found: install Node.js and npm")
    with tempfile.TemporaryDirectory() as folder:
        packed = subprocess.run(
            [npm, "pack", f"{PACKAGE}@{version}", "--json", "--prefer-offline"],
            cwd=folder,
            capture_output=True,
            text=True,
            check=False,
        )
        if packed.returncode != 0:
            raise SystemExit(f"npm pack failed:\n{packed.stderr}")
        report = json.loads(packed.stdout)[0]
        if report["integrity"] != integrity:
            raise SystemExit(
                f"the registry's {PACKAGE}@{version} has integrity {report['integrity']}, "
                f"the lock says {integrity}"
            )
        # npm checked the download against the registry's sha512; check ours of the file too.
        data = (Path(folder) / report["filename"]).read_bytes()
    algorithm, _, expected = integrity.partition("-")
    if base64.b64encode(hashlib.new(algorithm, data).digest()).decode() != expected:
        raise SystemExit("the downloaded tarball does not match the lock's integrity")
    found: dict[str, bytes] = {}
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        for name in FILES:
            extracted = archive.extractfile(f"package/dist/{name}")
            if extracted is None:
                raise SystemExit(f"dist/{name} is not in the tarball")
            found[name] = extracted.read()
    return found


def record(version: str, integrity: str, bundle: bytes) -> str:
    """The text of ``decap-cms.json``."""
    data = {
        "package": PACKAGE,
        "version": version,
        "integrity": integrity,
        "file": "dist/decap-cms.js",
        "sha256": hashlib.sha256(bundle).hexdigest(),
    }
    return json.dumps(data, indent=2) + "\n"


def shipped_bundle() -> bytes:
    """The bundle as the package ships it, decompressed."""
    return gzip.decompress((SHIPPED / "decap-cms.js.gz").read_bytes())


def check(version: str, integrity: str) -> list[str]:
    """What differs between the shipped files and the registry's."""
    files = registry_files(version, integrity)
    problems = []
    if shipped_bundle() != files["decap-cms.js"]:
        problems.append(f"decap-cms.js.gz is not {PACKAGE}@{version}'s dist/decap-cms.js")
    notices = SHIPPED / "decap-cms.js.LICENSE.txt"
    if notices.read_bytes() != files["decap-cms.js.LICENSE.txt"]:
        problems.append(f"decap-cms.js.LICENSE.txt is not {PACKAGE}@{version}'s")
    if (SHIPPED / "decap-cms.json").read_text(encoding="utf-8") != record(
        version, integrity, files["decap-cms.js"]
    ):
        problems.append("decap-cms.json does not describe the pinned package")
    return problems


def vendor(version: str, integrity: str) -> None:
    files = registry_files(version, integrity)
    bundle = files["decap-cms.js"]
    SHIPPED.mkdir(parents=True, exist_ok=True)
    (SHIPPED / "decap-cms.js.gz").write_bytes(gzip.compress(bundle, compresslevel=9, mtime=0))
    (SHIPPED / "decap-cms.js.LICENSE.txt").write_bytes(files["decap-cms.js.LICENSE.txt"])
    (SHIPPED / "decap-cms.json").write_text(record(version, integrity, bundle), encoding="utf-8")
    print(f"vendored {PACKAGE}@{version} ({len(bundle):,} bytes) into {SHIPPED}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    arguments = parser.parse_args()
    version, integrity = pinned()
    if not arguments.check:
        vendor(version, integrity)
        return 0
    problems = check(version, integrity)
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    if not problems:
        print(f"ok: the shipped bundle is {PACKAGE}@{version}'s dist/decap-cms.js")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
