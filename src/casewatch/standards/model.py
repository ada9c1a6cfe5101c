"""The shape of a practice standard, validated strictly.

These models check the *form* of a standard file (keys, types, durations, which combinations are allowed);
``casewatch.standards.loader`` then checks its *meaning* against the pack and the vocabulary of sources. The
semantics of each rule kind are specified in docs/standards-language.md.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, model_validator

from casewatch.standards.durations import Duration, Unit
from casewatch.standards.kinds import Rule
from casewatch.standards.kinds.base import DurationField, Strict

Checked = Literal["verbatim", "secondary", "unverified"]
NonBlank = Annotated[str, Field(min_length=1)]


class Citation(Strict):
    """The sentence a standard encodes, how far its wording can be trusted, and what the rule makes of it.

    A reader deciding whether to rely on a figure needs to know three things the quote alone does not say: whether
    the words were checked against the document (``checked``), which recorded field stands in for a practice the
    data cannot see (``proxy``), and which parts of the statement the rule leaves out (``not_encoded``). Kept as
    separate fields, not mixed into free-text notes, so every output can show them and the loader can hold
    ``verbatim`` to its word.
    """

    document: str
    section: str = Field(min_length=1)
    quote: str = Field(min_length=1)
    # verbatim: the loader found the quote in the pack's copy of the document (statements.yaml); secondary: taken
    # from a secondary source (local procedures, a summary); unverified: from the document, but not checkable here.
    checked: Checked
    proxy: list[NonBlank] = Field(default_factory=list)
    not_encoded: list[NonBlank] = Field(default_factory=list)
    notes: list[NonBlank] = Field(default_factory=list)


class Override(Strict):
    standard: str
    relation: Literal["stricter", "replaces", "adds"]


class Version(Strict):
    version: int = Field(ge=1)
    effective_from: dt.date
    effective_to: dt.date | None = None
    rule: Rule
    citation: Citation | None = None


SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


class Reading(Strict):
    """One way of reading an unclear statement, written as the change it makes to the standard's own rule.

    ``set`` patches the default rule (a mapping merges into the rule's mapping, any other value replaces, null
    removes the key), so a reading shows at a glance the one value it reads differently; the loader applies the
    patch and validates the result as a whole rule into ``rule``. A full ``rule`` in the file is kept for a
    reading that changes the rule's kind, where a patch would restate everything anyway.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    note: str = Field(min_length=1)
    rule: Rule | None = None
    patch: dict[str, Any] | None = Field(default=None, alias="set")

    @model_validator(mode="after")
    def _patch_or_rule(self) -> Reading:
        # The loader fills ``rule`` with the patched rule by model_copy, which does not come back here.
        if self.patch is not None and self.rule is not None:
            raise ValueError("a reading gives either 'set' (the values it changes) or a whole 'rule', not both")
        if self.patch is not None and not self.patch:
            raise ValueError("'set' is empty: a reading that changes nothing is the default reading")
        return self

    @property
    def changes_rule(self) -> bool:
        """Whether choosing this reading evaluates a rule other than the standard's own."""
        return self.rule is not None or self.patch is not None


class Interpretation(Strict):
    """A question the source document leaves open, the readings considered, and the one encoded by default.

    Documents are not always consistent ("monthly" in one section, "every 30 working days" in another). Rather
    than settle that silently in code, the standard records the question; a council switches the reading by
    configuration (``--reading``) and the results say which reading was used.
    """

    id: str = Field(pattern=SLUG)
    question: str = Field(min_length=1)
    default: str
    readings: dict[str, Reading]

    @model_validator(mode="after")
    def _default_is_a_reading(self) -> Interpretation:
        if len(self.readings) < 2:
            raise ValueError("an interpretation needs at least two readings (otherwise write a citation note)")
        for name in self.readings:
            if not _is_slug(name):
                raise ValueError(f"the reading name '{name}' must be lower-case words joined by hyphens")
        if self.default not in self.readings:
            raise ValueError(f"the default '{self.default}' is not one of the readings: {', '.join(self.readings)}")
        if self.readings[self.default].changes_rule:
            raise ValueError(
                f"the default reading '{self.default}' must not have a rule or 'set': "
                "the standard's own rule is the default"
            )
        return self


def _is_slug(text: str) -> bool:
    return re.fullmatch(SLUG, text) is not None


class StandardFile(Strict):
    """One standard as written in its YAML file."""

    id: str = Field(pattern=SLUG)
    title: str = Field(min_length=1)
    type: Literal["statutory", "local"]
    subject: Literal["child", "worker", "family"] = "child"
    role: str = Field(min_length=1)
    topic: str | None = None
    target: float | None = Field(default=None, ge=0, le=100)
    due_soon: DurationField | None = None
    calendar: str | None = None
    citation: Citation
    overrides: Override | None = None
    effective_from: dt.date | None = None
    effective_to: dt.date | None = None
    rule: Rule | None = None
    versions: list[Version] | None = None
    interpretations: list[Interpretation] = Field(default_factory=list)

    @model_validator(mode="after")
    def _rule_or_versions(self) -> StandardFile:
        if (self.rule is None) == (self.versions is None):
            raise ValueError("a standard needs either 'rule' (one version) or 'versions', not both")
        if self.rule is not None and self.effective_from is None:
            raise ValueError("'effective_from' is required: the date from which this standard applies")
        if self.versions is not None and (self.effective_from or self.effective_to):
            raise ValueError("with 'versions', give effective dates on each version, not on the standard")
        ids = [i.id for i in self.interpretations]
        if len(set(ids)) != len(ids):
            raise ValueError("two interpretations have the same id")
        if self.versions is not None and any(r.changes_rule for i in self.interpretations for r in i.readings.values()):
            raise ValueError("a reading cannot replace the rule of a standard with 'versions'; give it a single 'rule'")
        return self

    def all_versions(self) -> list[Version]:
        """The versions, with a single ``rule`` read as version 1."""
        if self.versions is not None:
            return sorted(self.versions, key=lambda v: v.effective_from)
        assert self.rule is not None and self.effective_from is not None
        return [Version(version=1, effective_from=self.effective_from, effective_to=self.effective_to, rule=self.rule)]


class Document(Strict):
    """A document citations refer to: enough to find the very edition that was quoted.

    A quote is only as good as the edition it came from (Working Together has had five editions since 2010), so
    every document says which edition it is and where it is published: a web address, or where else to find it
    (a council's undated leaflet, copied into the pack).
    """

    title: str = Field(min_length=1)
    edition: str = Field(min_length=1)  # "December 2023", "as made", "undated (copy received 2024)"
    date: dt.date | None = None  # the edition's date, when the document gives one
    reference: str | None = None
    publisher: str | None = None
    url: str | None = Field(default=None, pattern=r"^https?://\S+$")
    published: str | None = Field(default=None, min_length=1)  # where it is published, when it has no address

    @model_validator(mode="after")
    def _findable(self) -> Document:
        if self.url is None and self.published is None:
            raise ValueError("a document needs 'url' or 'published' (where it can be found)")
        return self


class PackFile(Strict):
    """A pack's ``pack.yaml``."""

    id: str = Field(pattern=SLUG)
    title: str = Field(min_length=1)
    jurisdiction: Literal["england", "wales", "scotland", "northern-ireland", "st-helena"]
    calendar: str
    extends: str | None = None
    due_soon: DurationField = Duration(5, Unit.WORKING_DAYS)
    description: str | None = None
    documents: dict[str, Document] = Field(default_factory=dict)
    # Topics on which the law sets no timescale, each with the reason: the comparison then says "no statutory
    # timescale" rather than leaving a blank that reads as an omission.
    no_statutory_timescale: dict[str, str] = Field(default_factory=dict)
    # The grade scale the pack's case-file audits use (a name in casewatch/qa/grade_scales.yaml); a pack that
    # names none inherits its base pack's, and a programme may choose another.
    audit_grade_scale: str | None = Field(default=None, pattern=SLUG)
