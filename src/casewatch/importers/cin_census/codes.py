"""CIN census code lists, used to warn about values a DfE validator would reject.

A value outside its list is still imported (the council's own code may be meaningful to them) but reported as a
warning, so an analyst sees it before it silently fails to match a standard's filter. Only the stable lists are
checked; assessment factor codes change most years and are imported as given.
"""

from __future__ import annotations

SEX = frozenset({"M", "F", "U"})
#: ``GenderCurrent`` (censuses up to 2023-24): 0 not known, 1 male, 2 female, 9 not specified.
GENDER_CURRENT = frozenset({"0", "1", "2", "9"})
ETHNICITY = frozenset(
    {
        "WBRI", "WIRI", "WIRT", "WOTH", "WROM", "MWBC", "MWBA", "MWAS", "MOTH", "AIND", "APKN", "ABAN", "AOTH",
        "BCRB", "BAFR", "BOTH", "CHNE", "OOTH", "REFU", "NOBT",
    }
)  # fmt: skip
DISABILITY = frozenset({"NONE", "MOB", "HAND", "PC", "INC", "COMM", "LD", "HEAR", "VIS", "BEH", "CON", "AUT", "DDA"})
REFERRAL_SOURCE = frozenset(
    {"1A", "1B", "1C", "1D", "2A", "2B", "3A", "3B", "3C", "3D", "3E", "3F", "4", "5A", "5B", "5C", "5D", "6", "7", "8"}
    | {"9", "10"}
)
PRIMARY_NEED = frozenset(f"N{n}" for n in range(10))
REASON_FOR_CLOSURE = frozenset(f"RC{n}" for n in range(1, 10))
CATEGORY_OF_ABUSE = frozenset({"NEG", "PHY", "SAB", "EMO", "MUL"})
UPN_UNKNOWN = frozenset(f"UN{n}" for n in range(1, 11))

#: Category-of-abuse descriptions (as SSD extracts often hold them) to census codes, for the writer.
CATEGORY_BY_DESCRIPTION = {
    "neglect": "NEG",
    "physical abuse": "PHY",
    "physical": "PHY",
    "sexual abuse": "SAB",
    "sexual": "SAB",
    "emotional abuse": "EMO",
    "emotional": "EMO",
    "multiple": "MUL",
    "multiple/not recommended": "MUL",
}

#: ``GenderCurrent`` code for an SSD sex/gender letter, for the writer's pre-2025 layout.
GENDER_CODE_BY_LETTER = {"M": "1", "F": "2", "U": "0"}
