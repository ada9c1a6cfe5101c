"""The summary a user sees in the terminal after an evaluation."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from casewatch.results import Period, Results, compliance_summary, results_period


def print_summary(results: Results, console: Console, pack_title: str, period: str | Period | None = None) -> None:
    """Compliance per standard over ``period`` (compliance now by default), headed with the period's dates."""
    chosen = results_period(results, period)
    summary = compliance_summary(results, chosen).to_pylist()
    title = f"{pack_title}: compliance over {chosen.label}, as at {results.as_at}"
    table = Table(title=title, title_justify="left", show_lines=False)
    table.add_column("Standard", no_wrap=True, overflow="ellipsis", max_width=46)
    for heading, justify in (
        ("Met", "right"),
        ("Late", "right"),
        ("Overdue", "right"),
        ("Not yet due", "right"),
        ("Exc.", "right"),
        ("Compliance", "right"),
        ("Target", "right"),
    ):
        table.add_column(heading, justify=justify)  # type: ignore[arg-type]
    footnotes: list[str] = []
    for row in summary:
        compliance = row["compliance"]
        target = row["target"]
        if row["note"] and not row["instances"]:
            shown = f"[dim]{row['note']}[/dim]"
        else:
            if compliance is None:
                shown = "–"
            else:
                colour = "green" if row["meets_target"] in (True, None) else "red"
                shown = f"[{colour}]{compliance:.1f}%[/{colour}]"
            if row["note"]:
                # A figure the data limits carries its caveat here too, not only in the workbook.
                footnotes.append(f"{row['standard_id']}: {row['note']}")
                shown += f" [dim]({len(footnotes)})[/dim]"
        table.add_row(
            str(row["standard_id"]),
            str(row["met"]),
            str(row["met_late"]),
            str(row["overdue"]),
            str(row["due_soon"] + row["not_due"]),
            str(row["exception"]),
            shown,
            "" if target is None else f"{target:g}%",
        )
    console.print(table)
    for number, text in enumerate(footnotes, start=1):
        console.print(f"[dim]({number}) {text}[/dim]", highlight=False)
    for note in results.data_notes():
        console.print(note, highlight=False)
    counted = sum(row["instances"] for row in summary)
    total = results.instances.num_rows
    console.print(
        f"{counted:,} of {total:,} instances across {len(results.standards)} standards are due in the period; "
        f"{len(results.not_evaluated)} standards not evaluated for lack of data."
    )
