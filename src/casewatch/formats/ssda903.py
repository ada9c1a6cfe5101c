"""The SSDA903 format in one place: the files, their columns, the codes that drive chaining and the date text.

The importer and the exporter both read it. Only the codes that change how rows are *chained* (reason for new
episode, reason episode ceased) decide anything; the other lists are used to warn about values the DfE guidance
of recent years does not list. The DfE adds codes most years (2026 adds placement types Z11-Z14), so an unknown
code is kept and reported as a warning, never dropped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class FileKind:
    """One of the 903 files: its columns and how to recognise it by name and by columns."""

    name: str
    columns: tuple[str, ...]
    #: columns whose presence identifies the file (checked before the name, which councils vary)
    signature: frozenset[str]
    #: normalised name fragments ("placedforadoption") that suggest this kind
    names: tuple[str, ...]


FILE_KINDS: tuple[FileKind, ...] = (
    FileKind(
        "episodes",
        (
            "CHILD",
            "DECOM",
            "RNE",
            "LS",
            "CIN",
            "PLACE",
            "PLACE_PROVIDER",
            "DEC",
            "REC",
            "REASON_PLACE_CHANGE",
            "HOME_POST",
            "PL_POST",
            "URN",
        ),
        frozenset({"CHILD", "DECOM", "RNE"}),
        ("episodes", "episode"),
    ),
    FileKind(
        "header",
        ("CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"),
        frozenset({"CHILD", "SEX", "ETHNIC"}),
        ("header", "children"),
    ),
    FileKind(
        "reviews", ("CHILD", "DOB", "REVIEW", "REVIEW_CODE"), frozenset({"CHILD", "REVIEW"}), ("reviews", "review")
    ),
    FileKind(
        "missing",
        ("CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"),
        frozenset({"CHILD", "MIS_START"}),
        ("missing",),
    ),
    FileKind("uasc", ("CHILD", "SEX", "DOB", "DUC"), frozenset({"CHILD", "DUC"}), ("uasc",)),
    FileKind(
        "oc2",
        (
            "CHILD",
            "DOB",
            "SDQ_SCORE",
            "SDQ_REASON",
            "CONVICTED",
            "HEALTH_CHECK",
            "IMMUNISATIONS",
            "TEETH_CHECK",
            "HEALTH_ASSESSMENT",
            "SUBSTANCE_MISUSE",
            "INTERVENTION_RECEIVED",
            "INTERVENTION_OFFERED",
        ),
        frozenset({"CHILD", "HEALTH_CHECK"}),
        ("oc2",),
    ),
    FileKind("oc3", ("CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"), frozenset({"CHILD", "IN_TOUCH"}), ("oc3",)),
    FileKind(
        "ad1",
        ("CHILD", "DOB", "DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR"),
        frozenset({"CHILD", "DATE_MATCH"}),
        ("ad1",),
    ),
    FileKind(
        "placed_for_adoption",
        ("CHILD", "DOB", "DATE_PLACED", "DATE_PLACED_CEASED", "REASON_PLACED_CEASED"),
        frozenset({"CHILD", "DATE_PLACED"}),
        ("placedforadoption", "placedadoption", "placed"),
    ),
    FileKind(
        "prev_perm",
        ("CHILD", "DOB", "PREV_PERM", "LA_PERM", "DATE_PERM"),
        frozenset({"CHILD", "PREV_PERM"}),
        ("prevperm", "previouspermanence", "permanence"),
    ),
    FileKind(
        "social_worker",
        ("CHILD", "DOB", "SW_ID", "SW_DECOM", "SW_DEC", "SW_REASON"),
        frozenset({"CHILD", "SW_ID"}),
        ("socialworker", "swepisodes"),
    ),
    FileKind("dolo", ("CHILD", "DOB", "DOLO_START", "DOLO_END"), frozenset({"CHILD", "DOLO_START"}), ("dolo",)),
)

KINDS: dict[str, FileKind] = {k.name: k for k in FILE_KINDS}

#: The SSD tables a 903 return's content lives in: what the importer writes and the exporter reads.
SSD_TABLES: tuple[str, ...] = (
    "ssd_person",
    "ssd_cla_episodes",
    "ssd_cla_placement",
    "ssd_legal_status",
    "ssd_cla_reviews",
    "ssd_missing",
    "ssd_care_leavers",
    "ssd_permanence",
)

#: Column spellings other than the CSV's: the XML form says PL and CHILDID.
COLUMN_ALIASES: dict[str, str] = {"PL": "PLACE", "CHILDID": "CHILD", "CHILD_ID": "CHILD"}

#: Reason for new episode. S starts a period of care; these start a new placement.
RNE_STARTS_PERIOD = "S"
RNE_NEW_PLACEMENT = frozenset({"S", "P", "T", "U", "B"})
RNE_CODES = frozenset({"S", "L", "P", "T", "U", "B"})

#: Reason episode ceased: X1 means the child stays looked after (a new episode follows); every E code ends care.
REC_CONTINUES = "X1"
REC_CODES = frozenset(
    {
        "X1",
        "E11",
        "E12",
        "E13",
        "E14",
        "E15",
        "E16",
        "E17",
        "E2",
        "E3",
        "E41",
        "E45",
        "E46",
        "E47",
        "E48",
        "E4A",
        "E4B",
        "E5",
        "E6",
        "E7",
        "E8",
        "E9",
    }
)

LS_CODES = frozenset({"C1", "C2", "D1", "E1", "J1", "J2", "J3", "L1", "L2", "L3", "V2", "V3", "V4"})
PLACE_CODES = frozenset(
    {
        "A3",
        "A4",
        "A5",
        "A6",
        "H5",
        "K1",
        "K2",
        "K3",
        "P1",
        "P2",
        "P3",
        "P4",
        "R1",
        "R2",
        "R3",
        "R5",
        "S1",
        "T0",
        "T1",
        "T2",
        "T3",
        "T4",
        "U1",
        "U2",
        "U3",
        "U4",
        "U5",
        "U6",
        "Z1",
        "Z11",
        "Z12",
        "Z13",
        "Z14",
    }
)
#: Placement types meaning "placed for adoption" (with or without the current foster carers).
PLACED_FOR_ADOPTION = frozenset({"A3", "A4", "A5", "A6"})
REVIEW_CODES = frozenset({f"PN{i}" for i in range(8)})
MISSING_TYPES: dict[str, str] = {"M": "Missing", "A": "Away"}
#: 903 SEX: 1/2 until 2024-25, M/F (and U) from 2025-26.
SEX_CODES: dict[str, str] = {"1": "M", "2": "F", "M": "M", "F": "F", "U": "U"}
FLAG_CODES: dict[str, bool] = {"1": True, "0": False, "Y": True, "N": False}


def format_date(value: date | None) -> str:
    """A date as the 903 files hold it (dd/mm/yyyy), so the writer and the DfE's tools read the same text."""
    return "" if value is None else value.strftime("%d/%m/%Y")


#: OC3 ACCOM is the accommodation letter followed by its suitability, which the SSD keeps in a column of its own.
SUITABILITY: dict[str, str] = {"1": "Suitable", "2": "Not suitable"}
_SUITABILITY_DIGIT = {"1": "1", "2": "2", "SUITABLE": "1", "NOT SUITABLE": "2", "Y": "1", "N": "2"}


def oc3_accommodation(code: str, suitable: str) -> str:
    """The 903 ACCOM value (``B1``) from the SSD's accommodation code and suitability; a full code is kept."""
    digit = _SUITABILITY_DIGIT.get(suitable.strip().upper(), "")
    return code + digit if len(code) == 1 and digit else code
