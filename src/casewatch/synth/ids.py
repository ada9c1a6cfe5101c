"""String ids with a per-table prefix, and the numbering that keeps them unique across chunks.

Ids are strings (as in the SSD) such as ``REF0001234``: a prefix saying what the row is, then a running
number. Numbers are handed out in chunk order, each entity type counting on from where the previous chunk
stopped, so the same arguments always give the same ids however the output is written.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from casewatch.synth.days import Bools, Ints

ID_WIDTH = 7

PREFIX = {
    "person": "PER",
    "contact": "CON",
    "contact_decision": "CDE",
    "referral": "REF",
    "assessment": "ASM",
    "strategy": "STR",
    "s47": "S47",
    "icpc": "ICP",
    "icpc_meeting": "ICM",
    "cp_plan": "CPP",
    "cp_review": "CPR",
    "core_group": "CGP",
    "cin_plan": "CIP",
    "visit": "VIS",
    "casenote": "CSN",
    "period_of_care": "CLA",
    "cla_episode": "CLE",
    "placement": "PLA",
    "legal_status": "LGS",
    "cla_review": "CLR",
    "health": "HLT",
    "care_plan": "CRP",
    "plan_document": "PLD",
    "plan_review": "PLR",
    "case_document": "CDC",
    "meeting": "MTG",
    "complaint": "CMP",
    "escalation": "ESC",
    "staff_development": "SDV",
    "missing": "MIS",
    "return_interview": "RHI",
    "care_leaver": "CLV",
    "care_leaver_contact": "CLC",
    "care_leaver_episode": "CLP",
    "early_help": "EHE",
    "involvement": "INV",
    "supervision": "SUP",
    "oversight": "MGT",
    "disability": "DIS",
    "immigration": "IMM",
    "worker": "W",
    "staff": "STF",
    "team": "T",
    "team_history": "WTH",
}


def format_ids(kind: str, numbers: Ints, present: Bools | None = None) -> pa.Array:
    """Id strings for ``numbers`` (1-based), null where ``present`` is False."""
    text = pc.utf8_lpad(pc.cast(pa.array(np.asarray(numbers, dtype=np.int64)), pa.string()), ID_WIDTH, "0")
    joined = pc.binary_join_element_wise(PREFIX[kind], text, "")
    if present is None:
        return joined
    return pc.if_else(pa.array(np.asarray(present, dtype=bool)), joined, pa.nulls(len(joined), pa.string()))


class Numbering:
    """Running id numbers per entity type across the chunks of one generation run."""

    def __init__(self) -> None:
        self._used: Counter[str] = Counter()

    def take(self, kind: str, n: int) -> Ints:
        """Numbers for ``n`` new entities of ``kind`` (1-based, continuing from earlier chunks)."""
        start = self._used[kind]
        self._used[kind] += n
        return np.arange(start + 1, start + n + 1, dtype=np.int64)

    def ids(self, kind: str, n: int) -> pa.Array:
        return format_ids(kind, self.take(kind, n))
