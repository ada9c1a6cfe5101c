"""Links between the app's pages, built in one place so that every id in a URL is encoded.

Ids come from a council's data (team names such as "Children & Families", worker ids with slashes): pasted raw
into a URL they break the link or, worse, change which filter applies.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode


def link(path: str, *segments: str, **query: str | None) -> str:
    """``path``, then each of ``segments`` as one encoded path segment, then the query (empty values left out)."""
    url = path.rstrip("/") + "".join("/" + quote(str(s), safe="") for s in segments) if segments else path
    pairs = {k: v for k, v in query.items() if v not in (None, "")}
    return f"{url}?{urlencode(pairs)}" if pairs else url


__all__ = ["link"]
