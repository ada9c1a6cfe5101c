"""A corpus of messy files, one builder per format, each planting the quirks real councils' files hold.

Every child, worker and team is invented. The quirks, in every format that can hold them: decimal ages (Annex A
is the only format with an age), Excel error values (``#N/A``, ``#REF!``, ``#VALUE!``), ``-`` and blank-looking
cells (spaces, non-breaking spaces), formulas with no saved value (workbooks, and ``=`` text in CSVs),
non-breaking and repeated spaces in names and codes, free text in coded columns, byte-order marks and odd
heading spellings. The comments give each planted cell's row (or line) so the tests can name exact places.
"""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook

NBSP = "\u00a0"
BOM = "\ufeff"

#: List 3's headings with odd spellings: a trailing non-breaking space, doubled spaces, odd case.
LIST3_HEADINGS = [
    f"Child Unique ID{NBSP}",
    "GENDER",
    "Ethnicity",
    "Date of Birth",
    "Age  of Child (Years)",
    "Date of  referral",
    "Referral Source",
    "Referral NFA?",
    "Allocated Team",
    "Allocated Worker",
]


def _list3_rows(dates_as_text: bool) -> list[list[object]]:
    """List 3's data rows (the sheet's rows 3-7: a title row and the headings come first)."""

    def day(y: int, m: int, d: int) -> object:
        return f"{d:02d}/{m:02d}/{y}" if dates_as_text else datetime(y, m, d)

    return [
        # row 3: a decimal age that agrees with the DOB; #N/A team and worker (a failed VLOOKUP)
        ["C101", "a) Male", "WBRI", day(2015, 2, 1), 9.75, day(2024, 11, 1), "1A", "b) No", "#N/A", "#N/A"],
        # row 4: free text ethnicity and NFA; a decimal age that disagrees; an uncached =F3+7;
        # non-breaking and repeated spaces in team and worker
        [
            "C102",
            "b) Female",
            "White British",
            day(2010, 6, 15),
            7.83,
            "=F3+7",
            "2A",
            "Awaiting manager decision",
            f"Assessment{NBSP}{NBSP}Team",
            "Jo  Bloggs",
        ],
        # row 5: '-' gender, lower-case code, #REF! DOB, #VALUE! age, =DATE(...), a blank-looking source
        ["C103", "-", "wbri", "#REF!", "#VALUE!", "=DATE(2024,11,12)", f" {NBSP} ", "N", "Assessment Team", NBSP],
        # row 6: a formula that is not date arithmetic, in the required date: the row cannot be imported
        ["C104", "a) Male", "WBRI", day(2012, 1, 1), 12, "=TODAY()-3", "1A", "N", "Assessment Team", "Jo Bloggs"],
        # row 7: an id padded with non-breaking spaces; the date as dd/mm/yyyy text
        [f"{NBSP}C105 ", "b) Female", "WBRI", day(2013, 3, 3), 11, "15/11/2024", "1A", "N", "Assessment Team", None],
    ]


def annex_a_workbook(path: Path) -> Path:
    """A workbook whose List 3 carries every quirk (formulas are saved without a value, as scripts do)."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "List 3"
    sheet.append(["List 3: Referrals"])
    sheet.append(LIST3_HEADINGS)
    for row in _list3_rows(dates_as_text=False):
        sheet.append(row)
    book.save(path)
    return path


def annex_a_csv_folder(folder: Path) -> Path:
    """List 3 as a CSV file written by Excel: a byte-order mark, dates as text, formulas as ``=`` text."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "List_3.csv").open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["List 3: Referrals"])
        writer.writerow(LIST3_HEADINGS)
        writer.writerows(_list3_rows(dates_as_text=True))
    return folder


def annex_a_unusable_dates(path: Path) -> Path:
    """A workbook whose List 1 contact dates are all formulas casewatch cannot work out: nothing can load."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "List 1"
    sheet.append(["Child Unique ID", "Gender", "Date of Contact", "Contact Source"])
    sheet.append(["C1", "a) Male", "=TODAY()", "1A"])
    sheet.append(["C2", "b) Female", "=VLOOKUP(A3,Other!A:B,2,FALSE)", "1A"])
    book.save(path)
    return path


#: A CIN census with a BOM and, line by line, the quirks (line numbers are in the comments).
CIN_CENSUS = f"""{BOM}<?xml version="1.0" encoding="UTF-8"?>
<Message>
  <Header>
    <CollectionDetails><Collection>CIN</Collection><Year>2025</Year><ReferenceDate>2025-03-31</ReferenceDate></CollectionDetails>
  </Header>
  <Children>
    <Child>
      <ChildIdentifiers>
        <LAchildID>C201{NBSP}</LAchildID>
        <PersonBirthDate>#N/A</PersonBirthDate>
        <Sex>F</Sex>
      </ChildIdentifiers>
      <ChildCharacteristics>
        <Ethnicity>White  British</Ethnicity>
      </ChildCharacteristics>
      <CINdetails>
        <CINreferralDate>2024-05-01</CINreferralDate>
        <ReferralSource>{NBSP}1A </ReferralSource>
        <PrimaryNeedCode>n1</PrimaryNeedCode>
        <ReasonForClosure>-</ReasonForClosure>
        <ReferralNFA>maybe</ReferralNFA>
        <Assessments>
          <AssessmentActualStartDate>#REF!</AssessmentActualStartDate>
        </Assessments>
      </CINdetails>
    </Child>
    <Child>
      <ChildIdentifiers>
        <LAchildID>C202</LAchildID>
        <PersonBirthDate>{NBSP}</PersonBirthDate>
        <Sex>M</Sex>
      </ChildIdentifiers>
      <CINdetails>
        <CINreferralDate>2024-06-01</CINreferralDate>
        <Assessments>
          <AssessmentActualStartDate>2024-06-03</AssessmentActualStartDate>
        </Assessments>
      </CINdetails>
    </Child>
  </Children>
</Message>
"""


def cin_census(path: Path) -> Path:
    path.write_text(CIN_CENSUS, encoding="utf-8")
    return path


def ssda903_csv_folder(folder: Path) -> Path:
    """Header and episodes files with BOMs, headings in odd case and spacing, and the quirks in values."""
    folder.mkdir(parents=True, exist_ok=True)
    header = [
        f"{BOM}child{NBSP},SEX,DOB,ethnic",
        f"C301{NBSP},1,#VALUE!,White  British",  # line 2
        "C302,2,01/02/2012,wbri",  # line 3
    ]
    episodes = [
        f"{BOM}CHILD,DECOM,RNE,LS,CIN,PLACE,Place Provider,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN",
        f"C301{NBSP},01/04/2024,S,c2,N1,Foster placement,#N/A,,-,,,,",  # line 2
        "C302,02/05/2024,S,C2,N1,U1,PR1,#REF!,,,,,",  # line 3
        "C302,#N/A,P,C2,N1,U1,PR1,,,,,,",  # line 4: no usable start, so the episode is not imported
    ]
    (folder / "header.csv").write_text("\n".join(header) + "\n", encoding="utf-8")
    (folder / "episodes.csv").write_text("\n".join(episodes) + "\n", encoding="utf-8")
    return folder


#: The 903's XML form with a BOM and the same quirks (line numbers in the comments).
SSDA903_XML = f"""{BOM}<?xml version="1.0" encoding="utf-8"?>
<EXPSSDA903>
  <CHILD>
    <HEADER>
      <CHILDID>{NBSP}C401</CHILDID>
      <SEX>2</SEX>
      <DOB>#N/A</DOB>
      <ETHNIC>Mixed  other</ETHNIC>
    </HEADER>
    <EPISODE>
      <DECOM>01/04/2024</DECOM>
      <RNE>S</RNE>
      <LS>C2</LS>
      <CIN>N1</CIN>
      <PL>in house fostering</PL>
      <PLACE_PROVIDER>-</PLACE_PROVIDER>
      <DEC>{NBSP}</DEC>
    </EPISODE>
  </CHILD>
</EXPSSDA903>
"""


def ssda903_xml(path: Path) -> Path:
    path.write_text(SSDA903_XML, encoding="utf-8")
    return path


def ssd_csv_folder(folder: Path) -> Path:
    """An SSD extract saved from Excel: a BOM, a heading with spaces and one with a trailing NBSP, error values."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = [
        f"{BOM}pers person id,PERS_DOB{NBSP},pers_sex,pers_ethnicity",
        f"P1{NBSP},#N/A,F,WBRI  ",  # line 2
        "P2,  ,M,#REF!",  # line 3
        "P3,01/02/2015,U,White  British",  # line 4
    ]
    (folder / "ssd_person.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder
