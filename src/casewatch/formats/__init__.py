"""The returns' formats as data, one module per return, shared by the importers and the exporters.

Annex A's lists and headings, the CIN census element layout and code lists, and the SSDA903 files, columns
and codes each have one home here, so a heading or code changed for one direction is changed for the other.
Nothing here reads or writes files.
"""
