"""CIN census XML (DfE children in need census, 2017-2026 layouts) to SSD-shaped tables.

``import_cin_census`` reads a council's census file, a child at a time, into the SSD tables a census can fill
(``ssd_person``, ``ssd_disability``, ``ssd_cin_episodes``, ``ssd_cin_assessments``, ``ssd_assessment_factors``,
``ssd_cin_plans``, ``ssd_s47_enquiry``, ``ssd_initial_cp_conference``, ``ssd_cp_plans``, ``ssd_cp_reviews``) and
reports every value or record it could not use. :mod:`casewatch.exporters.cin_census` goes the other way and
documents what a round trip keeps and loses; both read the layout and codes in :mod:`casewatch.formats.cin_census`.
"""

from __future__ import annotations

from .importer import import_cin_census

__all__ = ["import_cin_census"]
