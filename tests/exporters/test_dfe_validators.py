"""The DfE's own validators on the CIN census and SSDA903 that casewatch exports from two synthetic councils.

The councils are a 3,000-child one generated for the session and the example council shipped with casewatch
(generated with other settings), so that rules one council's data never reaches get a second chance.

Every rule the validators raise must be in an allow-list below with the reason it fires, so the test fails on
any new rule: an error of ours (a wrong code, a missing field, a record outside the year) is fixed in the
exporter, never listed. What is listed fires because of the synthetic council's data, because the SSD has no
column for the field, or because of a quirk of the validator (each reproduced by hand when it was listed).

The validators need pandas < 2 and so run in their own environment (``make dfe-validators``), through
``dfe_validate.py``.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from export_support import AS_AT

import casewatch
from casewatch.exporters import collection_year_end, export

ROOT = Path(__file__).resolve().parents[2]
DFE_PYTHON = Path(os.environ.get("CASEWATCH_DFE_PYTHON", ROOT / ".venv-dfe" / "bin" / "python"))
DRIVER = Path(__file__).with_name("dfe_validate.py")
YEAR_END = collection_year_end(AS_AT)  # 31 March 2026: the 2025-26 rulesets
CIN_RULESET, LAC_RULESET = (
    f"cin{YEAR_END.year - 1}_{YEAR_END.year % 100}",
    f"lac{YEAR_END.year - 1}_{YEAR_END.year % 100}",
)

#: CIN census rules that fire on the synthetic councils' censuses, and why none is the exporter's doing.
CIN_ALLOWED = {
    "8770Q": "synthetic council: no child has a UPN or a UPN-unknown reason (casewatch never invents one)",
    "8897Q": "synthetic council: no ssd_assessment_factors table, so completed assessments carry no factors",
    "2990": "synthetic council: some episodes with an S47 enquiry are closed RC8/RC9 (after assessment)",
    "8825Q": "synthetic council: referrals with no further action are closed RC8, which implies an assessment",
    "8670Q": "synthetic council: late assessments (timeliness 85%) still open 45 working days before 31 March",
    "8736": "synthetic council: a few assessments never authorised, though their episode was closed",
    "8867": "synthetic council: the same never-authorised assessments in closed episodes",
    "2887Q": "synthetic council: fewer than eight disability codes in use",
    "2888Q": "synthetic council: one disability code per disabled child",
    "8868": "example council: an S47 enquiry that found a conference needed, with no conference recorded",
    "8675Q": "example council: the same enquiry, so no conference within 15 working days of its start",
}

#: SSDA903 rules that fire on the synthetic councils' 903s, and why none is the exporter's doing.
LAC_ALLOWED = {
    "169": "synthetic council: placement postcodes are ZZ99 pseudo-postcodes, so no LA of placement derives",
    "179": "synthetic council: the same pseudo-postcodes give no placement location (in or out of area)",
    "392c": "synthetic council: ZZ99 pseudo-postcodes are not real postcodes",
    "392b": "the SSD has no home postcode, so HOME_POST is left empty",
    "218": "synthetic council: placements that need an Ofsted URN have none",
    "442": "synthetic council: no child has a UPN (casewatch never invents one)",
    "145": "synthetic council: a few looked-after episodes carry need code N9, which the 903 does not list",
    "146": "synthetic council: placement type P2, no longer in the 2025-26 list",
    "217": "synthetic council: A5 placements entered with RNE P (a change of placement)",
    "408": "synthetic council: A5 placements under a care order (C1/C2), not a placement order",
    "378": "synthetic council: placed with parents (P1) while accommodated under section 20",
    "574": "synthetic council: an Away and a Missing period that overlap in the source",
    "575": "validator quirk: an open missing period during an open period of care at 31 March (reproduced alone)",
    "577": "validator quirk: the same open missing period, reported as if care had ended",
    "1015": "synthetic council: ZZ99 pseudo-postcodes cannot show an own-provision placement inside the LA",
    "222": "example council: a URN recorded for an R1 placement, which has none",
    "390": "example council: a child adopted (E12) with no earlier placement for adoption (A3-A6)",
}

#: Rules that raise instead of judging any 903 CSV set: they read columns no CSV layout has.
LAC_CRASH_ALLOWED = {
    "231": "validator bug: reads Header.UASC_STATUS, a column of no 903 CSV file",
    "233": "validator bug: reads Episodes.DATE_EPISODE_CEASED, a column of no 903 CSV file",
}


def _validate(*args: str) -> dict[str, Any]:
    if not DFE_PYTHON.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"{DFE_PYTHON} is missing: 'make test' builds it with 'make dfe-validators'")
        pytest.skip(f"the DfE validators are not installed; run 'make dfe-validators' (looked for {DFE_PYTHON})")
    done = subprocess.run(
        [str(DFE_PYTHON), str(DRIVER), *args], capture_output=True, text=True, check=False, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result: dict[str, Any] = json.loads(done.stdout)
    return result


EXAMPLE = Path(casewatch.__file__).parent / "examples" / "example_council"


@pytest.fixture(scope="module", params=["generated", "example"])
def source(request: pytest.FixtureRequest, council: Path) -> Path:
    """The session's generated council, then the shipped example council."""
    return council if request.param == "generated" else EXAMPLE


@pytest.fixture(scope="module")
def census(source: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("census") / "census.xml"
    export("cin-census", source, out, AS_AT, la_code="999")
    return out


@pytest.fixture(scope="module")
def ssda903(source: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("ssda903") / "903"
    export("ssda903", source, out, AS_AT)
    return out


def _unexplained(fired: dict[str, dict[str, Any]], allowed: dict[str, str]) -> dict[str, str]:
    return {code: f"{rule['count']} x {rule['message']}" for code, rule in fired.items() if code not in allowed}


def test_the_cin_census_passes_every_dfe_rule_but_the_listed_ones(census: Path) -> None:
    result = _validate("cin", str(census), CIN_RULESET)
    assert result["ran"] > 100  # the whole 2025-26 ruleset ran, not an empty one
    assert result["crashed"] == []
    assert _unexplained(result["fired"], CIN_ALLOWED) == {}


def test_the_ssda903_passes_every_dfe_rule_but_the_listed_ones(ssda903: Path) -> None:
    result = _validate("903", str(ssda903), LAC_RULESET, str(YEAR_END.year))
    assert result["ran"] > 300
    assert set(result["crashed"]) <= set(LAC_CRASH_ALLOWED)
    assert _unexplained(result["fired"], LAC_ALLOWED) == {}


def test_the_validators_do_catch_a_census_and_a_903_that_are_wrong(census: Path, ssda903: Path, tmp_path: Path) -> None:
    """The allow-lists cannot make the tests above pass vacuously: a wrong code is reported by rule."""
    broken = tmp_path / "census.xml"
    text = census.read_text(encoding="utf-8")
    broken.write_text(text.replace("<ReferralSource>", "<ReferralSource>9Z", 1), encoding="utf-8")
    fired = _validate("cin", str(broken), CIN_RULESET)["fired"]
    assert _unexplained(fired, CIN_ALLOWED)  # an invalid referral source is no synthetic-data rule
    folder = tmp_path / "903"
    folder.mkdir()
    for path in ssda903.iterdir():
        (folder / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    episodes = (folder / "episodes.csv").read_text(encoding="utf-8").splitlines()
    fields = episodes[1].split(",")
    fields[2] = "Q"  # RNE: no such reason for a new episode
    (folder / "episodes.csv").write_text("\n".join([episodes[0], ",".join(fields), *episodes[2:]]) + "\n")
    fired = _validate("903", str(folder), LAC_RULESET, str(YEAR_END.year))["fired"]
    assert _unexplained(fired, LAC_ALLOWED)
