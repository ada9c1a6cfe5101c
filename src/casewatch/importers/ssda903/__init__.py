"""SSDA903 (the children looked after return) → SSD-shaped tables, and back again for round trips.

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

``write_ssda903(data_dir, out_dir, year_end)`` writes SSD-shaped tables out as the 903 CSV set for the collection
year ending ``year_end`` (children looked after at any time in the year, their episodes open in the year, the
year's reviews and missing episodes). A round trip SSD → 903 → SSD (``tests/importers/ssda903``) shows exactly:

**Preserved**, for children looked after in the year: person id, sex, date of birth, ethnicity, UPN; every
episode open in the year with its start, start reason, primary need code and, when it ended in the year, its end
and ceased reason; placements' start, type, provider, URN, postcode and change reason, and their end when it
fell in the year; legal statuses (code and start); held reviews in the year with their participation code;
missing episodes' dates and type; care leavers' in-touch, activity and accommodation; periods of care, which
chain to the same groups of episodes.

**Lost**: every table the 903 does not cover (contacts, referrals, assessments, S47s, conferences, plans, visits,
involvements, workers, ``ext_*``); all record ids except the child's (rebuilt from child and dates); names, NHS
number, death date, gender, expected date of birth; episodes, placements, legal statuses, reviews and missing
episodes outside the year; ends after the year end (written open, as the 903 requires); referral ids and last IRO
contact dates; placement distance; review due dates and cancelled reviews; missing episodes' times and return
interviews; care leavers' eligibility, latest contact, pathway plan review, adviser and team; and the date care
began for periods that began before the year (it becomes the start of the year's first episode).
"""

from .importer import import_ssda903
from .writer import write_ssda903

__all__ = ["import_ssda903", "write_ssda903"]
