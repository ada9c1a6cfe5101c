"""One ``Child``: identifiers and characteristics to ``ssd_person`` and ``ssd_disability``, then its episodes.

The child's LAchildID becomes ``pers_person_id`` unchanged, so tables imported from the same council's
Annex A or SSDA903 (which use the same id) join to it.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from casewatch.data.vocabulary import is_empty, tidy
from casewatch.formats import cin_census as codes

from ..xml_stream import Lines, local
from .episodes import map_episode
from .nodes import Context, Fields, Node, Walker, record
from .values import parse_code, parse_date


def map_child(context: Context, index: int, element: ET.Element, lines: Lines) -> None:
    """Write the rows of one ``Child`` element, reporting every value and record that could not be used."""
    walker = Walker(context, lines)
    root = walker.root(element, index)
    context.count_read(element)
    context.need("LAchildID", _la_child_id(element))
    if _la_child_id(element) is None:
        context.skipped(root, "the child has no LAchildID, so nothing recorded for them was imported")
        return
    fields = walker.fields(root)
    identifiers = walker.first(fields, "ChildIdentifiers")
    id_fields = walker.fields(identifiers) if identifiers else {}
    child_id = walker.value(id_fields, "LAchildID")
    assert child_id is not None  # checked above
    _person(walker, root, fields, id_fields, child_id)
    for episode in fields.get("CINdetails", []):
        map_episode(walker, child_id, episode)


def _la_child_id(element: ET.Element) -> str | None:
    for identifiers in element:
        if local(identifiers.tag) == "ChildIdentifiers":
            for item in identifiers:
                if local(item.tag) == "LAchildID" and not is_empty(item.text, exports=True, typed=True):
                    return tidy(item.text or "")
    return None


def _person(walker: Walker, root: Node, fields: Fields, id_fields: Fields, child_id: str) -> None:
    context = walker.context
    characteristics = walker.first(fields, "ChildCharacteristics")
    if child_id in context.people:
        context.problem(
            root,
            child_id,
            f"LAchildID {child_id} was already read at {context.people[child_id]}; this child's identifiers and "
            "characteristics were not imported again (their episodes were)",
            "warning",
        )
        context.report.rows_skipped["Child"] += 1
        if characteristics is not None:
            context.count_skipped(characteristics.element)
        return
    context.people[child_id] = root.path
    char_fields = walker.fields(characteristics) if characteristics else {}
    row = record(
        pers_person_id=child_id,
        pers_upn=walker.value(id_fields, "UPN"),
        pers_upn_unknown=walker.value(id_fields, "UPNunknown", lambda t: parse_code(t, codes.UPN_UNKNOWN)),
        pers_dob=walker.value(id_fields, "PersonBirthDate", parse_date),
        pers_expected_dob=walker.value(id_fields, "ExpectedPersonBirthDate", parse_date),
        pers_death_date=walker.value(id_fields, "PersonDeathDate", parse_date),
        pers_gender=walker.value(id_fields, "GenderCurrent", lambda t: parse_code(t, codes.GENDER_CURRENT)),
        pers_sex=walker.value(id_fields, "Sex", lambda t: parse_code(t, codes.SEX)),
        pers_ethnicity=walker.value(char_fields, "Ethnicity", lambda t: parse_code(t, codes.ETHNICITY)),
    )
    context.emit("ssd_person", row)
    context.used["Child"] += 1
    disabilities = walker.first(char_fields, "Disabilities")
    if disabilities is not None:
        for node in walker.fields(disabilities).get("Disability", []):
            _disability(walker, node, child_id)


def _disability(walker: Walker, node: Node, child_id: str) -> None:
    context = walker.context
    code = walker.leaf(node, lambda t: parse_code(t, codes.DISABILITY))
    if code is None:
        context.skipped(node, "empty <Disability>; nothing to import")
        return
    row = record(
        disa_table_id=context.unique_id(f"DIS-{child_id}-{code}"),
        disa_person_id=child_id,
        disa_disability_code=code,
    )
    context.emit("ssd_disability", row)
    context.used["Disability"] += 1
