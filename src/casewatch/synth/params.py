"""The behaviour of a synthetic council: pathway shares, durations and practice rhythms.

``figures.py`` holds the national statistics; this module holds the modelling choices that reproduce them
(the share of referrals that go to a strategy discussion, how long a child protection plan lasts...). Where
a share is derived from national figures the derivation is written next to it; where it is practice
knowledge rather than a statistic it says so. The rates the generator produces are checked against
``figures.py`` by the test suite, so a change here that drifts from the national picture fails loudly.
"""

from __future__ import annotations

from types import MappingProxyType

from casewatch.synth.figures import figure

# --------------------------------------------------------------------------------------------- population
# Children are simulated from birth; cohorts are born evenly over the years needed for everyone who was a
# child during the extract window plus care leavers up to 21 at the extract date.
CARE_LEAVER_MAX_AGE = 21
UNBORN_PER_10K = 4.0  # unborn children referred before birth and not yet born at the extract date
DISABLED_SHARE = 0.04  # children with a disability known to the council (not a DfE figure; order of CIN data)
SEX_MALE_SHARE = 0.51  # ONS child population; looked-after and UASC children skew more male (below)
UASC_MALE_SHARE = 0.92
# UASC arrive aged 14-17 and are looked after until 18. Arrivals per 10k children a year so that UASC make up
# CLA24's 8.8% of the looked-after stock with a typical stay of about two years.
UASC_ARRIVALS_PER_10K = figure("looked_after") * figure("uasc_share_of_looked_after") / 2.0

# Ethnicity (CIN census codes) of the child population, roughly that of England's school population.
ETHNICITY = MappingProxyType(
    {
        "WBRI": 0.66,
        "WIRI": 0.003,
        "WOTH": 0.06,
        "WIRT": 0.002,
        "WROM": 0.005,
        "MWBC": 0.02,
        "MWBA": 0.01,
        "MWAS": 0.015,
        "MOTH": 0.025,
        "AIND": 0.035,
        "APKN": 0.045,
        "ABAN": 0.02,
        "AOTH": 0.015,
        "BCRB": 0.01,
        "BAFR": 0.035,
        "BOTH": 0.005,
        "CHNE": 0.005,
        "OOTH": 0.02,
        "REFU": 0.005,
        "NOBT": 0.01,
    }
)
UASC_ETHNICITY = MappingProxyType({"OOTH": 0.45, "BAFR": 0.25, "AOTH": 0.25, "NOBT": 0.05})

# ----------------------------------------------------------------------------------------- referrals
# A child's referrals form a renewal process: a first referral at a rate that varies with age and with the
# family's (gamma-distributed) vulnerability, then after each closure a quick re-referral for some and the
# background rate for the rest. The two rates were calibrated so that the council receives CIN24's 520
# referrals per 10k children a year of which REREF24's 22% are re-referrals within 12 months.
FIRST_REFERRAL_RATE = 0.041  # per child-year at age factor 1 and vulnerability 1
VULNERABILITY_SHAPE = 0.45  # gamma shape; mean 1. Small shape = referrals concentrate in fewer families
QUICK_REREFERRAL_SHARE = 0.28  # share of closed episodes followed by a re-referral within months
QUICK_REREFERRAL_MEAN_DAYS = 150.0
# Relative referral rates by age (under 1, 1-4, 5-9, 10-15, 16-17): babies and adolescents peak.
AGE_BANDS = (1.0, 5.0, 10.0, 16.0, 18.0)
AGE_REFERRAL_FACTOR = (1.7, 0.9, 0.9, 1.15, 0.8)
DISABLED_REFERRAL_FACTOR = 2.5

REFERRALS_PER_CHILD_YEAR = figure("referrals") / 10_000
CONTACTS_PER_REFERRAL = figure("contacts_per_referral")
# Of the contacts that do not become referrals, this share concern children referred at some other time.
OTHER_CONTACTS_ON_KNOWN_CHILDREN = 0.5

# CIN census referral sources and primary need codes, roughly national proportions.
REFERRAL_SOURCE = MappingProxyType(
    {
        "1A": 0.03,
        "1B": 0.005,
        "1C": 0.02,
        "1D": 0.025,
        "2A": 0.19,
        "2B": 0.01,
        "3A": 0.02,
        "3B": 0.02,
        "3C": 0.005,
        "3D": 0.04,
        "3E": 0.03,
        "3F": 0.03,
        "4": 0.03,
        "5A": 0.05,
        "5B": 0.03,
        "5C": 0.03,
        "5D": 0.02,
        "6": 0.29,
        "7": 0.02,
        "8": 0.03,
        "9": 0.02,
        "10": 0.03,
    }
)
REFERRAL_SOURCE_DESC = MappingProxyType(
    {
        "1A": "Individual - family member/relative/carer",
        "1B": "Individual - acquaintance",
        "1C": "Individual - self",
        "1D": "Individual - other",
        "2A": "Schools",
        "2B": "Education services",
        "3A": "Health services - GP",
        "3B": "Health services - health visitor",
        "3C": "Health services - school nurse",
        "3D": "Health services - other primary health services",
        "3E": "Health services - A&E",
        "3F": "Health services - other",
        "4": "Housing",
        "5A": "LA services - social care",
        "5B": "LA services - other internal",
        "5C": "LA services - external",
        "5D": "LA services - early help",
        "6": "Police",
        "7": "Other legal agency",
        "8": "Other",
        "9": "Anonymous",
        "10": "Unknown",
    }
)
PRIMARY_NEED = MappingProxyType(
    {"N1": 0.57, "N2": 0.08, "N3": 0.04, "N4": 0.09, "N5": 0.14, "N6": 0.03, "N7": 0.005, "N8": 0.025, "N9": 0.02}
)

# ------------------------------------------------------------------------------------ front door choices
REFERRAL_NFA_SHARE = figure("referral_nfa_share")
# S47 enquiries are 185/520 = 36% of referrals; 8% of strategy discussions decide against an enquiry.
S47_SHARE_OF_REFERRALS = figure("s47_enquiries") / figure("referrals")
STRATEGY_TO_S47 = 0.92
STRATEGY_SHARE_OF_ASSESSED = S47_SHARE_OF_REFERRALS / STRATEGY_TO_S47 / (1 - REFERRAL_NFA_SHARE)
# ICPCs are 65/185 = 35% of S47 enquiries; about 87% of initial conferences make a plan (practice figure).
ICPC_SHARE_OF_S47 = figure("icpcs") / figure("s47_enquiries")
ICPC_TO_CP_PLAN = 0.87
S47_NO_ICPC_TO_CIN_PLAN = 0.5  # the rest are closed with no further action
# Assessed without a strategy discussion: shares that go to a CIN plan, into care at once, or close. The
# NFA share is what is left of CIN23's 30% "assessed not in need" after the S47s closed with NFA.
DIRECT_TO_CARE_SHARE = 0.035
ASSESSED_NFA_SHARE = 0.34

# ------------------------------------------------------------------------------------ durations (days)
CIN_PLAN_REVIEW_MONTHS = 3
CIN_PLAN_EXTRA_REVIEWS_P = 0.53  # number of reviews before a CIN plan ends is 1 + geometric(1 - p)
CIN_PLAN_TO_CARE = 0.03
CP_FIRST_REVIEW_MONTHS = 3  # Working Together 2023: first review within 3 months of the ICPC
CP_REVIEW_MONTHS = 6  # then at intervals of not more than 6 months
CP_ENDING_REVIEW = (0.22, 0.45, 0.19, 0.09, 0.05)  # P(plan ends at review 1, 2, 3, 4, 5)
CP_ENDS_EARLY_SHARE = 0.14  # ends between reviews: into care, or moved away
CP_EARLY_END_TO_CARE = 0.75
CP_STEP_DOWN_TO_CIN = 0.70
CARE_STEP_DOWN_TO_CIN = 0.5  # after returning home
CLOSE_LAG_DAYS = 30  # a case closes up to this long after its last plan ends

# Looked-after routes by age at entry (under 1, 1-4, 5-9, 10-15, 16-17): return home, adoption,
# special guardianship / child arrangements, remain until 18, other.
CARE_ROUTES = ("home", "adopt", "sgo", "to18", "other")
CARE_ROUTE_BY_AGE = (
    (0.28, 0.36, 0.25, 0.06, 0.05),
    (0.40, 0.20, 0.25, 0.10, 0.05),
    (0.46, 0.02, 0.20, 0.27, 0.05),
    (0.50, 0.00, 0.07, 0.38, 0.05),
    (0.35, 0.00, 0.00, 0.60, 0.05),
)
# Median days and log-sd of a period of care by route (to18 runs to the 18th birthday).
CARE_DURATION = MappingProxyType(
    {"home": (150.0, 1.0), "adopt": (620.0, 0.35), "sgo": (520.0, 0.5), "other": (200.0, 1.0)}
)
CARE_END_REASONS = MappingProxyType(
    {
        "home": (("E4A", 0.75), ("E4B", 0.15), ("E13", 0.10)),
        "adopt": (("E11", 0.6), ("E12", 0.4)),
        "sgo": (("E45", 0.45), ("E46", 0.35), ("E41", 0.10), ("E48", 0.10)),
        "to18": (("E17", 0.35), ("E5", 0.45), ("E8", 0.20)),
        "other": (("E8", 0.6), ("E3", 0.4)),
    }
)
