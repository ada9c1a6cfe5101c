"""Citations say how far a quote can be trusted, and the loader holds ``checked: verbatim`` to its word."""

from __future__ import annotations

from pathlib import Path

import pytest

from casewatch.errors import StandardsError
from casewatch.standards.loader import load_pack
from standards.test_coverage import PACK as COUNCIL_PACK
from standards.test_coverage import STANDARD as COUNCIL_STANDARD
from standards.test_coverage import error_for as council_error
from standards.test_coverage import write_pack as write_council
from standards.test_loader_errors import GOOD, PACK, error_for, write_pack


def test_every_citation_says_how_its_quote_was_checked(tmp_path: Path) -> None:
    message = error_for(tmp_path, GOOD.replace("  checked: secondary}", "  }"))
    assert "first-core-group.yaml, line 5" in message and "'citation.checked' is required" in message
    message = error_for(tmp_path, GOOD.replace("checked: secondary", "checked: probably"))
    assert "line 8" in message and "'verbatim', 'secondary' or 'unverified'" in message


def test_verbatim_needs_a_text_the_loader_can_check_the_quote_against(tmp_path: Path) -> None:
    # A pack with no statements.yaml (England's, quoting legislation) cannot claim a verbatim quote.
    message = error_for(tmp_path, GOOD.replace("checked: secondary", "checked: verbatim"))
    assert "first-core-group.yaml, line 8" in message
    assert "no statements.yaml, so no quote can be checked here" in message
    assert "say 'secondary' or 'unverified'" in message


def test_a_council_quote_found_in_its_document_must_say_verbatim(tmp_path: Path) -> None:
    assert load_pack(write_council(tmp_path)).get("allocated-worker").spec.citation.checked == "verbatim"
    message = council_error(tmp_path, standard=COUNCIL_STANDARD.replace("checked: verbatim", "checked: unverified"))
    assert "allocated-worker.yaml, line 9" in message
    assert "found verbatim in statements.yaml, so it is 'checked: verbatim', not 'unverified'" in message


def test_a_council_cannot_claim_verbatim_for_a_document_it_has_no_copy_of(tmp_path: Path) -> None:
    pack = COUNCIL_PACK + "  procedures: {title: Procedures manual, edition: Online, url: https://example.org/manual}\n"
    standard = COUNCIL_STANDARD.replace("document: ps", "document: procedures")
    folder = write_council(tmp_path, standard=standard)
    (folder / "pack.yaml").write_text(pack)
    with pytest.raises(StandardsError) as caught:
        load_pack(folder)
    message = str(caught.value)
    assert "allocated-worker.yaml, line 9" in message
    assert "only quotes of 'ps' (listed in statements.yaml) can be checked here" in message


def test_proxy_and_not_encoded_are_lists_of_sentences(tmp_path: Path) -> None:
    with_fields = GOOD.replace(
        "  checked: secondary}",
        "  checked: secondary,\n  proxy: [The conference date stands for the plan start.],\n"
        "  not_encoded: [Core groups for unborn children.], notes: [Read at the conference.]}",
    )
    citation = load_pack(write_pack(tmp_path, with_fields)).get("first-core-group").spec.citation
    assert citation.proxy == ["The conference date stands for the plan start."]
    assert citation.not_encoded == ["Core groups for unborn children."]
    assert citation.notes == ["Read at the conference."]
    not_a_list = with_fields.replace("not_encoded: [Core groups for unborn children.]", "not_encoded: ''")
    message = error_for(tmp_path, not_a_list)
    assert "not_encoded" in message and "list" in message


def test_every_document_says_its_edition_and_where_it_is_published(tmp_path: Path) -> None:
    no_edition = PACK.replace("    edition: December 2023\n", "")
    message = error_for(tmp_path, GOOD, pack=no_edition)
    assert "pack.yaml, line 7" in message and "'documents.wt-2023.edition' is required" in message
    nowhere = PACK.replace(
        "    url: https://www.gov.uk/government/publications/working-together-to-safeguard-children--2\n", ""
    )
    message = error_for(tmp_path, GOOD, pack=nowhere)
    assert "pack.yaml" in message and "needs 'url' or 'published'" in message
    not_an_address = PACK.replace("url: https://www.gov.uk/", "url: www.gov.uk/")
    assert "documents.wt-2023.url" in error_for(tmp_path, GOOD, pack=not_an_address)
