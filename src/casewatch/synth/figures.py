"""The national figures a synthetic council is calibrated to, with where each one comes from.

A performance analyst judges a synthetic council first by its headline rates: referrals a year, children in
need, on a child protection plan and looked after per 10,000 children. Those rates are declared here, once,
so the generator, its tests and its documentation all quote the same numbers. Rates are per 10,000 children
aged 0-17; "stock" figures are counts at a date (the DfE counts at 31 March, casewatch at ``as_at``), "flow"
figures are counts over the year before it.

England's child population implied by the DfE's own rates (83,630 looked-after children = 70 per 10,000) is
about 11.95 million, which converts the published counts below into rates.

Sources (all Department for Education, explore-education-statistics.service.gov.uk):

* CIN24 - "Children in need", reporting year 2024 (year ending 31 March 2024).
* CIN23 - "Children in need", reporting year 2023, table C4 and headline figures (as reported by Community
  Care, 2023, for the referral outcome shares).
* REREF24 - "Children in need: a focus on re-referrals", reporting year 2024.
* CLA24 - "Children looked after in England including adoptions", reporting year 2024.
* CLA22 - the same release for 2022 (missing-from-placement official statistics).

Figures marked *approximate* were given to us as rounded national figures and were not re-read from the
release; the rest were read from the pages named. Contacts are not a DfE statistic at all: that ratio is an
assumption, said so below.

=====================================================  ============  =======================================
figure                                                 value         source
=====================================================  ============  =======================================
referrals a year                                       520 / 10k     CIN24 (621,880)
re-referrals within 12 months                          22%           REREF24
referrals closed NFA before assessment                 7.1%          CIN23
referrals assessed as not in need                      30%           CIN23
mean assessment duration                               33 WD         CIN23
S47 enquiries a year                                   185 / 10k     CIN24, approximate (CIN23: 191.6)
initial child protection conferences a year            65 / 10k      CIN24, approximate (CIN23: 63.2)
ICPCs within 15 working days of the S47 start          78.5%         CIN23 table C4
children in need at the count date                     332.9 / 10k   CIN24 (399,460)
children on a child protection plan                    42 / 10k      CIN24, approximate
children looked after                                  70 / 10k      CLA24 (83,630)
children starting to be looked after a year            27.7 / 10k    CLA24 (33,050)
UASC share of looked-after children                    8.8%          CLA24 (7,380)
looked-after children missing in the year              11%           CLA22 (12,150)
missing incidents per missing child                    6.3           CLA22 (76,890 incidents)
contacts per referral                                  3             assumption (no national statistic)
=====================================================  ============  =======================================
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal


@dataclass(frozen=True)
class NationalFigure:
    """One calibration target: its value, what kind of figure it is, and the publication it comes from."""

    key: str
    value: float
    kind: Literal["stock_per_10k", "flow_per_10k_per_year", "share", "working_days", "ratio"]
    source: str
    note: str = ""


_FIGURES: tuple[NationalFigure, ...] = (
    # --- flows through the front door -------------------------------------------------------------------
    NationalFigure(
        "referrals",
        520.0,
        "flow_per_10k_per_year",
        "CIN24",
        "621,880 referrals in the year ending 31 March 2024 over ~11.95m children.",
    ),
    NationalFigure(
        "re_referral_share",
        0.22,
        "share",
        "REREF24",
        "139,080 of the 621,880 referrals were within 12 months of a previous referral.",
    ),
    NationalFigure(
        "referral_nfa_share",
        0.071,
        "share",
        "CIN23",
        "Referrals closed with no further action before any assessment (7.1% in 2022-23).",
    ),
    NationalFigure(
        "assessed_not_in_need_share",
        0.30,
        "share",
        "CIN23",
        "Referrals whose assessment found the child not in need (29.9% in 2022-23).",
    ),
    NationalFigure(
        "assessment_mean_working_days",
        33.0,
        "working_days",
        "CIN23",
        "Average assessment duration from referral to authorisation, in working days.",
    ),
    NationalFigure(
        "s47_enquiries",
        185.0,
        "flow_per_10k_per_year",
        "CIN24 (approximate)",
        "CIN23 published 225,400 enquiries, 191.6 per 10,000.",
    ),
    NationalFigure(
        "icpcs",
        65.0,
        "flow_per_10k_per_year",
        "CIN24 (approximate)",
        "CIN23 published 74,380 initial conferences, 63.2 per 10,000.",
    ),
    NationalFigure(
        "icpc_within_15_working_days_share",
        0.785,
        "share",
        "CIN23 table C4",
        "58,330 of 74,350 conferences were held 0-15 working days after the S47 started.",
    ),
    # --- stocks at the count date ----------------------------------------------------------------------
    NationalFigure(
        "children_in_need",
        332.9,
        "stock_per_10k",
        "CIN24",
        "399,460 children in need at 31 March 2024 (includes CP plans and looked-after children).",
    ),
    NationalFigure(
        "cp_plans",
        42.0,
        "stock_per_10k",
        "CIN24 (approximate)",
        "Children subject to a child protection plan at 31 March.",
    ),
    NationalFigure(
        "looked_after",
        70.0,
        "stock_per_10k",
        "CLA24",
        "83,630 children looked after at 31 March 2024.",
    ),
    NationalFigure(
        "started_looked_after",
        27.7,
        "flow_per_10k_per_year",
        "CLA24",
        "33,050 children started to be looked after in the year ending 31 March 2024.",
    ),
    NationalFigure(
        "uasc_share_of_looked_after",
        0.088,
        "share",
        "CLA24",
        "7,380 of the 83,630 looked-after children were unaccompanied asylum-seeking children.",
    ),
    NationalFigure(
        "looked_after_missing_share",
        0.11,
        "share",
        "CLA22",
        "12,150 looked-after children (11%) had a missing incident in 2021-22 ...",
    ),
    NationalFigure(
        "missing_incidents_per_missing_child",
        6.3,
        "ratio",
        "CLA22",
        "... between them 76,890 incidents; 90% lasted two days or less.",
    ),
    # --- not a national statistic ----------------------------------------------------------------------
    NationalFigure(
        "contacts_per_referral",
        3.0,
        "ratio",
        "assumption",
        "DfE publishes no contact counts; councils' front doors typically see two to four contacts per "
        "referral (ADCS Safeguarding Pressures research reports of this order). Chosen, not measured.",
    ),
)

NATIONAL_FIGURES: MappingProxyType[str, NationalFigure] = MappingProxyType({f.key: f for f in _FIGURES})
"""Every calibration target by key; the generator reads its rates from here and nowhere else."""


def figure(key: str) -> float:
    """The value of one national figure (a KeyError names a figure that was never declared)."""
    return NATIONAL_FIGURES[key].value
