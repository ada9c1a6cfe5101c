"""The shipped packs as the Standards pages show them: loaded once, grouped by topic, each rule in one line."""

from __future__ import annotations

from functools import lru_cache

from casewatch.errors import CasewatchError
from casewatch.standards.loader import available_packs, load_pack
from casewatch.standards.pack import Pack, Standard
from casewatch.standards.topics import load_topics


@lru_cache(maxsize=16)
def pack(name: str) -> Pack:
    return load_pack(name)


def packs() -> list[str]:
    return available_packs()


def topics() -> dict[str, str]:
    return load_topics()


def find_standard(pack_name: str, standard_id: str) -> Standard | None:
    try:
        return pack(pack_name).get(standard_id)
    except (CasewatchError, KeyError):
        return None


def by_topic(chosen: Pack) -> dict[str, list[Standard]]:
    """The pack's standards grouped by topic, in the order of topics.yaml; untopicked ones last."""
    order = list(topics())
    grouped: dict[str, list[Standard]] = {}
    for standard in chosen.standards.values():
        grouped.setdefault(standard.spec.topic or "other", []).append(standard)
    return dict(sorted(grouped.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order)))


def rule_summary(standard: Standard) -> str:
    """The current version's rule in a few words, as `casewatch standards compare` words it."""
    versions = standard.versions
    return versions[-1].rule.describe() if versions else ""
