"""Case-file audit: the quality-assurance work for what the data cannot show.

An audit programme (``programme``) picks a pack's audit questions, a cohort rule, auditors, a due date and a
grade scale (``grades``); ``sampling`` draws the children by that rule, reproducibly from a stored seed;
``allocation`` gives each child to an auditor who is independent of the child's worker and manager; ``store``
keeps all of it in the app's database. The audit form, moderation, the worker's response and actions, reports
and the offline workbook are later slices (docs/case-file-audit.md).
"""
