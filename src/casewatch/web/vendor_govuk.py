"""Vendor GOV.UK Frontend into the package, so the app needs no CDN and no internet when it runs.

Run it when changing the pinned version (the copy in ``static/govuk/`` is what ships):

    .venv/bin/python -m casewatch.web.vendor_govuk            # the pinned version
    .venv/bin/python -m casewatch.web.vendor_govuk --version 6.6.0

It runs ``npm pack`` in a temporary folder (the npm registry's ordinary client, nothing installed globally),
checks the tarball's integrity against the registry's published one, and copies only what the app serves: the
compiled CSS and JS and the images. The GDS Transport fonts are deliberately left out: they are licensed for
GOV.UK domains only, and the app's own stylesheet sets system fonts. ``VERSION.txt`` records the version and the
tarball's integrity hash; ``LICENCE.txt`` carries the package's MIT licence, which the npm tarball does not ship
as a separate file.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

PINNED_VERSION = "6.6.0"
TARGET = Path(__file__).parent / "static" / "govuk"
COPIED = ("govuk-frontend.min.css", "govuk-frontend.min.js")
COPIED_FOLDERS = ("assets/images",)
LICENCE = """GOV.UK Frontend {version} (https://github.com/alphagov/govuk-frontend), vendored by casewatch.

The package's README states: "Unless stated otherwise, the codebase is released under the MIT License."
(package.json: "license": "{licence}")

The MIT License (MIT)

Copyright (c) 2018 Crown Copyright (Government Digital Service)

Permission is hereby granted, free of charge, to any person obtaining a copy of this software and associated
documentation files (the "Software"), to deal in the Software without restriction, including without limitation
the rights to use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of the Software, and
to permit persons to whom the Software is furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all copies or substantial portions of
the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO
THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF
CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS
IN THE SOFTWARE.
"""


def vendor(version: str = PINNED_VERSION, target: Path = TARGET) -> str:
    """Fetch ``govuk-frontend@version`` with npm and copy its served files into ``target``; returns the integrity."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        packed = subprocess.run(
            ["npm", "pack", f"govuk-frontend@{version}", "--json"],
            cwd=work,
            check=True,
            capture_output=True,
            text=True,
        )
        info = json.loads(packed.stdout)[0]
        tarball = work / info["filename"]
        integrity = "sha512-" + base64.b64encode(hashlib.sha512(tarball.read_bytes()).digest()).decode()
        if integrity != info["integrity"]:
            raise SystemExit(f"npm pack integrity mismatch for {tarball.name}: {integrity} != {info['integrity']}")
        with tarfile.open(tarball) as archive:
            archive.extractall(work, filter="data")
        dist = work / "package" / "dist" / "govuk"
        manifest = json.loads((work / "package" / "package.json").read_text())
        if target.exists():
            shutil.rmtree(target)
        target.mkdir(parents=True)
        for name in COPIED:
            shutil.copy2(dist / name, target / name)
        for folder in COPIED_FOLDERS:
            shutil.copytree(dist / folder, target / folder)
        (target / "LICENCE.txt").write_text(LICENCE.format(version=version, licence=manifest.get("license", "MIT")))
        (target / "VERSION.txt").write_text(f"govuk-frontend {version}\nintegrity {integrity}\n")
    return integrity


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Vendor GOV.UK Frontend into casewatch/web/static/govuk.")
    parser.add_argument("--version", default=PINNED_VERSION)
    args = parser.parse_args(argv)
    integrity = vendor(args.version)
    sys.stdout.write(f"govuk-frontend {args.version} vendored into {TARGET} ({integrity})\n")


if __name__ == "__main__":
    main()
