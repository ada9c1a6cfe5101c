"""Importers: the formats councils already hold (Annex A, CIN census, SSDA903, an SSD database) → SSD-shaped tables.

Each format lives in its own module exposing ``import_<format>(source, out_dir) -> ImportReport`` and writes
one ``<table>.csv`` per SSD/ext table it can fill, which ``casewatch evaluate --data`` then reads.
"""
