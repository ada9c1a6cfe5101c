"""Which Annex A columns are coded, and by which of the DfE's lists: free text in one is kept and reported.

Annex A asks for the CIN census and SSDA903 codes in these columns, but a hand-kept list often holds the words
instead ("White British", "Police"). The importer keeps what was written, so nothing is lost and a council's
``codes:`` mapping can turn it into a code later, and says where each such value is.
"""

from __future__ import annotations

from casewatch.data.vocabulary import fold
from casewatch.formats import cin_census, ssda903

#: field key -> (how a message names the list, the codes)
CODE_LISTS: dict[str, tuple[str, frozenset[str]]] = {
    "ethnicity": ("the DfE ethnicity codes (WBRI, ...)", cin_census.ETHNICITY),
    "source": ("the CIN census referral sources (1A ... 10)", cin_census.REFERRAL_SOURCE),
    "close_reason": ("the CIN census reasons for closure (RC1 ... RC9)", cin_census.REASON_FOR_CLOSURE),
    "legal_status": ("the SSDA903 legal statuses (C1, C2, E1, ...)", ssda903.LS_CODES),
    "placement_type": ("the SSDA903 placement types (K2, U1, ...)", ssda903.PLACE_CODES),
    "end_reason": ("the SSDA903 reasons an episode ceased (E11, ...)", ssda903.REC_CODES),
}
_NEED = ("the primary need codes (N0 ... N9)", cin_census.PRIMARY_NEED)


def code_list(list_number: int, key: str) -> tuple[str, frozenset[str]] | None:
    """The code list field ``key`` of list ``list_number`` is written in, or None when it has none."""
    if key == "need" and list_number in (6, 8):
        return _NEED
    return CODE_LISTS.get(key)


def known_code(text: str, codes: frozenset[str]) -> str | None:
    """``text`` as the code it is (``wbri`` -> ``WBRI``), or None when it is no code of ``codes``."""
    folded = fold(text)
    return folded if folded in codes else None
