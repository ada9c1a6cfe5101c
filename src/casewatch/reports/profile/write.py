"""Writing a profile to the file the user named: ``.html`` (a page for a browser) or ``.xlsx`` (a workbook)."""

from __future__ import annotations

from pathlib import Path

from casewatch.errors import CasewatchError

from .html import render_html
from .model import Profile
from .xlsx import write_xlsx

FORMATS = (".html", ".xlsx")


def write_profile(profile: Profile, path: Path) -> Path:
    """Write ``profile`` as HTML or xlsx by the extension of ``path``; a CasewatchError names what went wrong."""
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise CasewatchError(f"{path}: cannot write a profile as '{suffix or 'no extension'}'; use .html or .xlsx")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if suffix == ".html":
            path.write_text(render_html(profile), encoding="utf-8")
        else:
            write_xlsx(profile, path)
    except OSError as exc:
        raise CasewatchError(f"{path}: cannot write the profile ({exc.strerror}).") from exc
    return path


__all__ = ["FORMATS", "write_profile"]
