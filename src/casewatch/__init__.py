"""casewatch: practice standards for children's social care, as cited, executable rules."""

__version__ = "0.1.0"
