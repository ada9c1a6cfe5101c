"""CIN census XML (DfE children in need census, 2017-2026 layouts) to and from SSD-shaped tables.

``import_cin_census`` reads a council's census file, a child at a time, into the SSD tables a census can fill
(``ssd_person``, ``ssd_disability``, ``ssd_cin_episodes``, ``ssd_cin_assessments``, ``ssd_assessment_factors``,
``ssd_cin_plans``, ``ssd_s47_enquiry``, ``ssd_initial_cp_conference``, ``ssd_cp_plans``, ``ssd_cp_reviews``) and
reports every value or record it could not use. ``write_cin_census`` goes the other way, so that the importer
can be tested on round trips of synthetic councils; ``writer`` documents what a round trip keeps and loses.
"""

from __future__ import annotations

from .importer import import_cin_census
from .writer import WriteSummary, write_cin_census

__all__ = ["WriteSummary", "import_cin_census", "write_cin_census"]
