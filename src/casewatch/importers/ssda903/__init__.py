"""SSDA903 (the children looked after return) → SSD-shaped tables.

``import_ssda903(source, out_dir)`` reads a folder of the 903 CSV files (header, episodes, reviews, missing, UASC,
OC2, OC3, AD1, placed for adoption, previous permanence, social worker, DoLo; any file names, recognised by
their columns), a single one of them, or the XML return (``EXPSSDA903``), and writes:

=====================  =========================================================================================
903                    SSD table (column)
=====================  =========================================================================================
header                 ``ssd_person``: CHILD → id, SEX (1/2 → M/F), DOB, ETHNIC, UPN, MOTHER → is-mother flag
episodes               ``ssd_cla_episodes`` one row per episode; periods of care (``clae_cla_id``) and
                       ``clae_entered_care_date`` by chaining (see :mod:`.episodes`); RNE/REC → start/ceased
                       reason, CIN → primary need
episodes               ``ssd_cla_placement``: PLACE → type, PLACE_PROVIDER, URN, PL_POST → postcode,
                       REASON_PLACE_CHANGE (on the placement's last episode) → change reason
episodes               ``ssd_legal_status``: one row per run of one LS code
reviews                ``ssd_cla_reviews``: REVIEW → date, REVIEW_CODE → participation, linked to the period of
                       care holding the date; not cancelled, no due date
missing                ``ssd_missing``: MIS_START/MIS_END (dates), MISSING M/A → "Missing"/"Away"
oc3                    ``ssd_care_leavers``: IN_TOUCH, ACTIV, ACCOM (+ suitability from its second character)
ad1, placed for        ``ssd_permanence``: DATE_PLACED (or DATE_INT) → decision date, DATE_PLACED_CEASED and
adoption               REASON_PLACED_CEASED → reversal, DATE_MATCH, FOSTER_CARE, NB/SEX/LS_ADOPTR; the date
                       placed from the first A3-A6 placement on or after the decision
uasc, oc2, previous    read and counted, not mapped (the report says why)
permanence, social
worker, DoLo
=====================  =========================================================================================

The reverse direction, and what survives a round trip, is :mod:`casewatch.exporters.ssda903`; both read the files,
columns and codes in :mod:`casewatch.formats.ssda903`.
"""

from .importer import import_ssda903

__all__ = ["import_ssda903"]
