"""Everything a reader needs to judge one standard, gathered once for ``casewatch standards show`` and the web app.

A figure is only as trustworthy as the reading behind it: where the quote came from (which edition, published
where), whether its words were checked, what recorded field stands in for the practice, what the rule leaves
out, which reading of an unclear sentence is in force and which version of the rule times which instances.
Both outputs are built from :func:`standard_view`, so the terminal and the browser never disagree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import yaml

from casewatch.standards.model import Checked, Citation, Reading
from casewatch.standards.pack import Standard

CHECKED_MEANS: dict[Checked, str] = {
    "verbatim": "found word for word in the pack's copy of the document by the loader",
    "secondary": "taken from a secondary source (local procedures or a summary), not from the document itself",
    "unverified": "from the document, but not checked against its text here",
}


@dataclass(frozen=True)
class SourceView:
    """The document a citation quotes, as precisely as the pack identifies it."""

    key: str
    title: str
    edition: str
    date: dt.date | None
    publisher: str | None
    reference: str | None
    url: str | None
    published: str | None


@dataclass(frozen=True)
class CitationView:
    source: SourceView
    section: str
    quote: str
    checked: Checked
    proxy: list[str]
    not_encoded: list[str]
    notes: list[str]

    @property
    def checked_means(self) -> str:
        return CHECKED_MEANS[self.checked]


@dataclass(frozen=True)
class ReadingView:
    name: str
    note: str
    default: bool
    chosen: bool
    timescale: str  # the rule under this reading, in words
    change: str  # what the reading changes: "set within: 10 calendar days", or the standard's own rule


@dataclass(frozen=True)
class InterpretationView:
    id: str
    question: str
    readings: list[ReadingView]
    switch: str  # the option that chooses another reading


@dataclass(frozen=True)
class VersionView:
    version: int
    effective_from: dt.date
    effective_to: dt.date | None
    timescale: str
    rule: dict[str, Any]
    citation: CitationView | None  # only when the version cites its own source

    @property
    def dates(self) -> str:
        return f"from {self.effective_from}" + (f" to {self.effective_to}" if self.effective_to else " (open-ended)")


@dataclass(frozen=True)
class StandardView:
    citation: CitationView
    interpretations: list[InterpretationView]
    versions: list[VersionView]


def standard_view(standard: Standard) -> StandardView:
    """The citation, interpretations and versions of ``standard``, with the readings it was loaded under."""
    spec = standard.spec
    default_rule = standard.file_rule()
    interpretations = []
    for interpretation in spec.interpretations:
        chosen = standard.readings.get(interpretation.id, interpretation.default)
        readings = []
        for name, reading in interpretation.readings.items():
            rule = reading.rule or default_rule
            readings.append(
                ReadingView(
                    name=name,
                    note=reading.note.strip(),
                    default=name == interpretation.default,
                    chosen=name == chosen,
                    timescale=rule.describe() if rule is not None else "",
                    change=_change(reading),
                )
            )
        interpretations.append(
            InterpretationView(
                id=interpretation.id,
                question=interpretation.question.strip(),
                readings=readings,
                switch=f"--reading {spec.id}:{interpretation.id}=READING",
            )
        )
    versions = [
        VersionView(
            version=v.version,
            effective_from=v.effective_from,
            effective_to=v.effective_to,
            timescale=v.rule.describe(),
            rule=v.rule.model_dump(mode="json", exclude_defaults=True, by_alias=True),
            citation=_citation(standard, v.citation) if v.citation is not None else None,
        )
        for v in standard.versions
    ]
    return StandardView(_citation(standard, spec.citation), interpretations, versions)


def _citation(standard: Standard, citation: Citation) -> CitationView:
    document = standard.documents.get(citation.document)
    source = SourceView(
        key=citation.document,
        title=document.title if document else citation.document,
        edition=document.edition if document else "",
        date=document.date if document else None,
        publisher=document.publisher if document else None,
        reference=" ".join(document.reference.split()) if document and document.reference else None,
        url=document.url if document else None,
        published=document.published if document else None,
    )
    return CitationView(
        source=source,
        section=citation.section,
        quote=" ".join(citation.quote.split()),
        checked=citation.checked,
        proxy=[" ".join(p.split()) for p in citation.proxy],
        not_encoded=[" ".join(n.split()) for n in citation.not_encoded],
        notes=[" ".join(n.split()) for n in citation.notes],
    )


def _change(reading: Reading) -> str:
    if reading.patch is not None:
        return "set " + flow(reading.patch)
    if reading.rule is not None:
        return "replaces the rule with a " + reading.rule.kind.replace("_", " ") + " rule"
    return "the standard's own rule"


def flow(patch: dict[str, Any]) -> str:
    text = yaml.safe_dump(patch, default_flow_style=True, sort_keys=False, allow_unicode=True, width=10**6)
    return text.strip().removesuffix("...").strip().removeprefix("{").removesuffix("}")
