"""Synthetic councils: coherent, deterministic SSD-shaped case data with no real child in it.

``generate_council`` simulates every child of a council from birth - referrals, assessments, child
protection, care, leaving care - together with the workforce that holds their cases, and writes the result
as the SSD and casewatch extension tables the loader reads. See ``figures.py`` for the national rates it is
calibrated to and ``params.py`` for the modelling choices behind them.
"""

from casewatch.synth.council import NOT_GENERATED, TABLES, SynthError, SynthSummary, generate_council
from casewatch.synth.figures import NATIONAL_FIGURES, NationalFigure

__all__ = [
    "NATIONAL_FIGURES",
    "NOT_GENERATED",
    "TABLES",
    "NationalFigure",
    "SynthError",
    "SynthSummary",
    "generate_council",
]
