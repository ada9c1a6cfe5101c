"""Text normalisation shared by heading matching, sheet recognition and cell cleaning.

Real Annex A files differ from the template in typography rather than words: curly quotes, non-breaking spaces,
doubled spaces, trailing spaces, a "?" or "(Y/N)" more or less. Reducing a heading to lower-case words makes all of
those meet one key without a fuzzy matcher that could pair the wrong columns.
"""

from __future__ import annotations

import re
import unicodedata

from casewatch.data.vocabulary import tidy

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-"})
_NON_WORD = re.compile(r"[^a-z0-9]+")
_YN = re.compile(r"\(\s*y\s*/\s*n\s*\)")


def clean_text(value: str) -> str:
    """Text with straight quotes, ordinary spaces, collapsed runs of white space and no padding."""
    return tidy(unicodedata.normalize("NFKC", value).translate(_QUOTES))


def heading_key(heading: str) -> str:
    """A heading reduced to lower-case words: ``"LA In Touch "`` and ``"la in touch"`` meet one key.

    "(Y/N)" is dropped (councils add or omit it) and an apostrophe joins its word (``children’s`` ->
    ``childrens``), so that punctuation never splits a word differently in two spellings.
    """
    text = _YN.sub(" ", clean_text(heading).lower()).replace("'", "")
    return _NON_WORD.sub(" ", text).strip()


def sheet_key(name: str) -> str:
    """A sheet or file name reduced like a heading: ``"List_1 - Contacts"`` -> ``"list 1 contacts"``."""
    return heading_key(name.replace("_", " "))


def slug(value: str) -> str:
    """A value safe inside a synthetic id: words joined by hyphens (``"Team A"`` -> ``"Team-A"``)."""
    return "-".join(re.findall(r"[A-Za-z0-9]+", clean_text(value))) or "X"
