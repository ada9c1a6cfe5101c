"""The API's documented example runs as written, on the shipped example council."""

from __future__ import annotations

import doctest

import casewatch.api


def test_the_api_docstrings_run() -> None:
    outcome = doctest.testmod(casewatch.api, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert outcome.attempted >= 4
    assert outcome.failed == 0
