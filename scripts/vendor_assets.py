#!/usr/bin/env python3
"""Copy the front-end files the portal serves from node_modules/ into static/vendor/.

The packages are pinned in package.json and package-lock.json (with integrity
hashes) and installed with ``npm ci``; the copies are committed so that the portal
runs, and is deployed, with Python alone and no internet (``make assets`` refreshes
them). ``--check`` compares instead of copying and fails if a committed copy differs
from the installed package, so that nobody edits a vendored file by hand.
"""

import argparse
import filecmp
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "node_modules"
TARGET = ROOT / "static" / "vendor"

# node_modules path -> static/vendor path. Source maps come along because the
# minified files name them, and the production static storage resolves that reference.
FILES = {
    "bootstrap/dist/css/bootstrap.min.css": "bootstrap/css/bootstrap.min.css",
    "bootstrap/dist/css/bootstrap.min.css.map": "bootstrap/css/bootstrap.min.css.map",
    "bootstrap/dist/js/bootstrap.bundle.min.js": "bootstrap/js/bootstrap.bundle.min.js",
    "bootstrap/dist/js/bootstrap.bundle.min.js.map": "bootstrap/js/bootstrap.bundle.min.js.map",
    "bootstrap/LICENSE": "bootstrap/LICENSE",
    "htmx.org/dist/htmx.min.js": "htmx/htmx.min.js",
    "htmx.org/LICENSE": "htmx/LICENSE",
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare, do not copy")
    args = parser.parse_args()

    problems = []
    for source_name, target_name in FILES.items():
        source, target = SOURCE / source_name, TARGET / target_name
        if not source.is_file():
            problems.append(f"missing in node_modules (run npm ci): {source_name}")
        elif args.check:
            if not target.is_file() or not filecmp.cmp(source, target, shallow=False):
                problems.append(f"differs from the locked package: static/vendor/{target_name}")
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)

    if args.check:
        expected = {TARGET / name for name in FILES.values()}
        extra = {path for path in TARGET.rglob("*") if path.is_file()} - expected
        problems.extend(f"not from a locked package: {p.relative_to(ROOT)}" for p in sorted(extra))

    for problem in problems:
        print(problem, file=sys.stderr)
    if not problems:
        print(
            f"static/vendor: {len(FILES)} files {'match' if args.check else 'copied from'} "
            "the locked packages."
        )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
