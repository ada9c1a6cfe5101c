"""`casewatch qa`: case-file audit from the command line, for councils that keep audits outside the app.

``casewatch qa sample`` draws an audit sample by rule and prints it with the rule and seed; with ``--auditor`` it
allocates each child to an independent auditor, and with ``--store`` it keeps the programme, the sample and the
allocation in the app's store, whose earlier samples then count as recent audits to leave out. ``casewatch qa
reallocate`` moves one kept audit to another auditor, with the same independence checks. ``casewatch qa export``
writes a programme's audit forms as a workbook for auditors who work offline, ``casewatch qa import`` keeps
the completed workbook's audits, all or none, and ``casewatch qa report`` says what the audits found.
"""

from __future__ import annotations

import secrets
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.markup import escape
from rich.table import Table

from casewatch.errors import CasewatchError

from .common import IsoDate, console, errors

if TYPE_CHECKING:
    import pyarrow as pa
    from sqlalchemy import Engine

    from casewatch.data.load import CaseData
    from casewatch.qa.allocation import Allocation
    from casewatch.qa.completed import CompletedAudit
    from casewatch.qa.programme import Programme
    from casewatch.qa.sampling import Sample, SampleRule, Theme
    from casewatch.qa.store import StoredSample
    from casewatch.results import Results
    from casewatch.standards.pack import Pack


@click.group("qa")
def qa() -> None:
    """Case-file audit: draw a sample by rule, allocate it, audit and moderate offline in Excel, report."""


@qa.command("sample")
@click.option("--data", "data_path", required=True, type=click.Path(path_type=Path), help="SSD folder or .duckdb file.")
@click.option("--standards", "pack_name", required=True, help="The pack audited (e.g. rutland) or a pack folder.")
@click.option("--as-at", "as_at", type=IsoDate(), default=None, help="Draw as at the end of this date (default today).")
@click.option(
    "--per",
    type=click.Choice(["team", "worker", "council"]),
    default="team",
    show_default=True,
    help="Draw for each team, each worker, or the council as one group.",
)
@click.option("--n", "n", type=click.IntRange(min=0), default=0, help="Children to draw per group.")
@click.option("--stage", "stages", multiple=True, metavar="STAGE=N", help="A quota per group, e.g. CP=3 (repeatable).")
@click.option(
    "--theme",
    "themes",
    multiple=True,
    metavar="THEME",
    help="Draw only from children a theme names: overdue:STANDARD:3m, ended:cp_plan:1m or closure:1m (repeatable).",
)
@click.option("--seed", type=click.IntRange(min=0), default=None, help="The seed of the draw (default: a new one).")
@click.option(
    "--not-audited-within",
    "not_audited_within",
    type=click.IntRange(min=0),
    default=12,
    show_default=True,
    metavar="MONTHS",
    help="Leave out children audited in this many months before the date (0: none); needs --store.",
)
@click.option(
    "--exclude",
    "exclude_file",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="A file of children to leave out (restricted records): one person id a line, optionally ',reason'.",
)
@click.option("--auditor", "auditors", multiple=True, help="An auditor's worker id (repeatable): allocate the sample.")
@click.option(
    "--within-team",
    "within_team",
    is_flag=True,
    help="Let an auditor audit children of their own team (by default audit is peer audit across teams).",
)
@click.option("--store", "store", default=None, help="Keep the programme and sample in this store (file or URL).")
@click.option("--programme", "programme_name", default=None, help="The programme's name (needed with --store).")
@click.option("--due", "due_date", type=IsoDate(), default=None, help="The programme's due date (needed with --store).")
@click.option("--group", "groups", multiple=True, help="An audit group of the pack to ask (repeatable; default all).")
@click.option("--question", "questions", multiple=True, help="An audit question of the pack to ask (repeatable).")
@click.option("--grade-scale", "scale", default=None, help="four-point, zero-to-ten or rag (default: the pack's).")
@click.option("--out", "out", type=click.Path(path_type=Path), default=None, help="Write the sample: .csv or .xlsx.")
def sample_command(
    data_path: Path,
    pack_name: str,
    as_at: date | None,
    per: str,
    n: int,
    stages: tuple[str, ...],
    themes: tuple[str, ...],
    seed: int | None,
    not_audited_within: int,
    exclude_file: Path | None,
    auditors: tuple[str, ...],
    within_team: bool,
    store: str | None,
    programme_name: str | None,
    due_date: date | None,
    groups: tuple[str, ...],
    questions: tuple[str, ...],
    scale: str | None,
    out: Path | None,
) -> None:
    """Draw an audit sample by rule, reproducibly from a seed, and print it with the rule that drew it."""
    from casewatch import api
    from casewatch.qa.programme import build_programme
    from casewatch.qa.sampling import SampleRule, Theme, parse_quota

    day = as_at or date.today()
    if out is not None and out.suffix.lower() not in (".csv", ".xlsx"):  # before minutes of work, not after
        raise CasewatchError(f"{out}: cannot write '{out.suffix or 'no extension'}'; use .csv or .xlsx")
    pack = api.load_standards(pack_name)
    parsed = tuple(_resolve(Theme.parse(t), pack) for t in themes)
    rule = SampleRule(
        per=per,  # type: ignore[arg-type]
        n=n,
        quotas=tuple(parse_quota(s) for s in stages),
        themes=parsed,
        not_audited_within=not_audited_within,
    )
    if store is not None and (programme_name is None or due_date is None):
        raise CasewatchError("keeping a sample in a store needs --programme NAME and --due DATE")
    programme = None
    if store is not None or groups or questions or scale:  # checked even when not kept
        programme = build_programme(
            pack,
            programme_name or "unsaved",
            rule=rule,
            due_date=due_date or day,
            auditors=auditors,
            groups=groups,
            questions=questions,
            scale=scale,
            across_teams=not within_team,
        )
    excluded = _read_exclusions(exclude_file) if exclude_file is not None else {}
    chosen_seed = seed if seed is not None else secrets.randbelow(10**9)
    engine = _open(store) if store is not None else None
    if engine is not None and programme is not None:  # before the draw, not after it is printed
        from casewatch.qa import store as qa_store

        qa_store.check_new_programme(engine, programme.name)
    with console.status(f"Loading case data from {data_path} …"):
        data = api.load_data(data_path, as_at=day)
    try:
        drawn, allocation = _draw(data, pack, day, rule, chosen_seed, excluded, engine, auditors, not within_team)
    finally:
        data.close()
    _print(drawn, allocation, engine is not None)
    if engine is not None and programme is not None:
        from casewatch.qa import store as qa_store

        sample_id = qa_store.keep(engine, programme, drawn, allocation)
        console.print(f"Kept as programme '{escape(programme.name)}', sample {sample_id}, in the store.")
    if out is not None:
        from casewatch.reports import write_tables

        write_tables(out, [("Sample", _with_auditors(drawn, allocation)), ("Rule", drawn.rule_table())])
        console.print(f"Sample written to {out}")


def _draw(
    data: CaseData,
    pack: Pack,
    day: date,
    rule: SampleRule,
    seed: int,
    excluded: dict[str, str],
    engine: Engine | None,
    auditors: tuple[str, ...],
    across_teams: bool,
) -> tuple[Sample, Allocation | None]:
    from casewatch import api
    from casewatch.qa.allocation import allocate, auditors_in
    from casewatch.qa.sampling import PriorAudit, draw_sample

    overdue = [t.subject for t in rule.themes if t.kind == "overdue" and t.subject]
    results = None
    if overdue:
        with console.status("Evaluating the themes' standards …"):
            results = api.evaluate(pack, data, day, standards=overdue)
    prior: list[PriorAudit] = []
    if engine is not None:
        from casewatch.qa import store as qa_store

        prior = qa_store.prior_audits(engine)
    drawn = draw_sample(data, day, rule, seed, results=results, prior=prior, excluded=excluded)
    allocation = allocate(drawn, auditors_in(data, auditors, day), across_teams=across_teams) if auditors else None
    return drawn, allocation


def _resolve(theme: Theme, pack: Pack) -> Theme:
    """An overdue theme names a standard of the pack, by its id in the pack or in full; keep the full id."""
    from dataclasses import replace

    if theme.kind != "overdue":
        return theme
    return replace(theme, subject=pack.get(theme.subject or "").id)


def _read_exclusions(path: Path) -> dict[str, str]:
    """``person_id[,reason]`` per line; a heading line ``person_id`` is skipped; blank lines are ignored."""
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except OSError as exc:
        raise CasewatchError(f"{path}: cannot be read ({exc.strerror})") from None
    out: dict[str, str] = {}
    for line in lines:
        person, _, reason = (part.strip() for part in line.partition(","))
        if person and person.lower() != "person_id":
            out[person] = reason or f"listed in {path.name}"
    return out


def _open(store: str) -> Engine:
    from casewatch.web.store import open_store, store_url

    return open_store(store_url(store, Path.cwd()))


def _print(drawn: Sample, allocation: Allocation | None, has_store: bool) -> None:
    console.print(f"[bold]Rule:[/bold] {escape(drawn.rule.describe())}.", highlight=False)
    console.print(
        f"As at {drawn.as_at.isoformat()}, seed {drawn.seed} (give --seed {drawn.seed} to draw the same sample again); "
        f"{drawn.cohort} children in the cohort, {len(drawn.members)} drawn.",
        highlight=False,
    )
    table = Table(title_justify="left", show_lines=False)
    for heading in ("child", "group", "stage", "worker", "team", "auditor" if allocation else None, "why drawn"):
        if heading is not None:
            table.add_column(heading, overflow="fold")
    for member in drawn.members:
        cells = [member.person_id, member.group, member.stage or "", member.worker_id or "", member.team_id or ""]
        if allocation is not None:
            cells.append(allocation.auditor_of(member.person_id) or "none")
        table.add_row(*(escape(c) for c in [*cells, member.reason]))
    console.print(table)
    for shortfall in drawn.shortfalls:
        console.print(f"[yellow]Shortfall:[/yellow] {escape(shortfall.sentence())}.", highlight=False)
    for reason, count in drawn.exclusion_counts().items():
        console.print(f"Left out: {count} {'child' if count == 1 else 'children'} {escape(reason)}.", highlight=False)
    if drawn.rule.not_audited_within and not has_store:
        errors.print(
            "[yellow]No --store given: earlier audits are not known, so no child was left out as recently "
            "audited.[/yellow]"
        )
    if allocation is not None:
        loads = ", ".join(f"{a} {c}" for a, c in sorted(allocation.load().items()))
        console.print(f"Audits per auditor: {loads or 'none'}.", highlight=False)
        for unallocated in allocation.unallocated:
            console.print(f"[yellow]Not allocated:[/yellow] {escape(unallocated.reason)}", highlight=False)


def _with_auditors(drawn: Sample, allocation: Allocation | None) -> pa.Table:
    import pyarrow as pa

    table = drawn.table()
    if allocation is None:
        return table
    return table.append_column(
        "auditor", pa.array([allocation.auditor_of(m.person_id) for m in drawn.members], pa.string())
    )


__all__ = ["qa"]


@qa.command("reallocate")
@click.option("--store", "store", required=True, help="The store the sample is kept in (file or URL).")
@click.option("--sample", "sample_id", required=True, type=int, help="The sample's number, as 'qa sample' printed it.")
@click.option("--child", "person_id", required=True, help="The child whose audit moves (person id).")
@click.option("--to", "to", default=None, help="The auditor it moves to (default: the least-loaded who may take it).")
@click.option("--reason", "reason", required=True, help="Why it moves, kept with the allocation.")
@click.option(
    "--data",
    "data_path",
    required=True,
    type=click.Path(path_type=Path),
    help="The case data the sample was drawn from (for the auditors' teams on its date).",
)
def reallocate_command(
    store: str, sample_id: int, person_id: str, to: str | None, reason: str, data_path: Path
) -> None:
    """Move one audit of a kept sample to another auditor, checked for independence."""
    from casewatch import api
    from casewatch.qa import store as qa_store
    from casewatch.qa.allocation import auditors_in, reallocate

    engine = _open(store)
    kept = qa_store.load_sample(engine, sample_id)
    _, programme = qa_store.load_programme(engine, kept.programme)
    allocation = qa_store.load_allocation(engine, sample_id)
    data = api.load_data(data_path, as_at=kept.sample.as_at)
    try:
        auditors = auditors_in(data, programme.auditors, kept.sample.as_at)
    finally:
        data.close()
    before = allocation.auditor_of(person_id)
    moved = reallocate(
        allocation, kept.sample, person_id, auditors, to=to, reason=reason, across_teams=programme.across_teams
    )
    qa_store.save_allocation(engine, sample_id, moved)
    console.print(
        f"The audit of {escape(person_id)} moved from {escape(before or 'nobody')} to "
        f"{escape(moved.auditor_of(person_id) or '')}: {escape(reason)}.",
        highlight=False,
    )


@qa.command("export")
@click.argument("programme_name", metavar="PROGRAMME")
@click.option("--store", "store", required=True, help="The store the programme is kept in (file or URL).")
@click.option(
    "--data",
    "data_path",
    required=True,
    type=click.Path(path_type=Path),
    help="The case data the sample was drawn from: each form's compliance section is its results.",
)
@click.option("--auditor", "auditor", default=None, help="Only the audits allocated to this auditor (or moderator).")
@click.option(
    "--moderation", "moderation", is_flag=True, help="The blind forms of the audits drawn for moderation instead."
)
@click.option("--out", "out", required=True, type=click.Path(path_type=Path, dir_okay=False), help="The .xlsx file.")
def export_command(
    programme_name: str, store: str, data_path: Path, auditor: str | None, moderation: bool, out: Path
) -> None:
    """Write a programme's audit forms (or its moderation's blind forms) as a workbook, one sheet a child."""
    from casewatch import api
    from casewatch.qa import store as qa_store
    from casewatch.qa.form import build_form
    from casewatch.qa.workbook import AUDIT, MODERATION, write_forms

    if out.suffix.lower() != ".xlsx":
        raise CasewatchError(f"{out}: the forms are a workbook; give a file ending in .xlsx")
    engine = _open(store)
    sample_id, kept, programme = _latest(engine, programme_name)
    if moderation:
        auditors = {m.person_id: m.moderator_id for m in qa_store.load_moderations(engine, sample_id)}
        if not auditors:
            raise CasewatchError(f"no audit of sample {sample_id} is drawn for moderation: draw them with qa moderate")
    else:
        auditors = {a.person_id: a.auditor_id for a in qa_store.load_allocation(engine, sample_id).assignments}
    members = [
        m.person_id
        for m in kept.sample.members
        if m.person_id in auditors and (auditor is None or auditors[m.person_id] == auditor)
    ]
    if not members:
        what = "audit drawn for moderation" if moderation else "audit"
        raise CasewatchError(f"no {what} of sample {sample_id} is allocated to {auditor}")
    pack = api.load_standards(programme.pack)
    results = _results_at(pack, data_path, kept.sample.as_at)
    forms = [build_form(pack, programme, person, kept.sample.as_at, results) for person in members]
    audits = {a.person_id: a for a in qa_store.load_audits(engine, sample_id) if a.person_id in members}
    write_forms(out, sample_id, forms, auditors, audits, kind=MODERATION if moderation else AUDIT)
    console.print(
        f"Wrote {len(forms)} {'moderation' if moderation else 'audit'} form{'s' if len(forms) != 1 else ''} of "
        f"sample {sample_id} "
        f"('{escape(programme.name)}') to {out}.",
        highlight=False,
    )


@qa.command("import")
@click.argument("workbook", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--store", "store", required=True, help="The store the programme is kept in (file or URL).")
def import_command(workbook: Path, store: str) -> None:
    """Keep the audits of a completed forms workbook: every sheet is checked first, then all are kept or none."""
    from casewatch import api
    from casewatch.qa import store as qa_store
    from casewatch.qa.completed import AuditStatus
    from casewatch.qa.form import build_form
    from casewatch.qa.workbook import MODERATION, read_forms, sample_of

    engine = _open(store)
    sample_id = sample_of(workbook)
    kept = qa_store.load_sample(engine, sample_id)
    _, programme = qa_store.load_programme(engine, kept.programme)
    pack = api.load_standards(programme.pack)
    forms = {m.person_id: build_form(pack, programme, m.person_id, kept.sample.as_at) for m in kept.sample.members}
    _, kind, audits = read_forms(workbook, forms)
    if kind == MODERATION:
        _import_moderation(engine, sample_id, workbook, audits)
        return
    with engine.begin() as conn:  # all of them or none
        for audit in audits:
            qa_store.save_audit(conn, sample_id, audit)
    handed_in = sum(a.status is AuditStatus.SUBMITTED for a in audits)
    console.print(
        f"Kept {len(audits)} audit{'s' if len(audits) != 1 else ''} of sample {sample_id} from {workbook}: "
        f"{handed_in} handed in, {len(audits) - handed_in} kept as drafts.",
        highlight=False,
    )
    imported = {a.person_id for a in audits}
    for escalation in qa_store.open_escalations(engine):
        if escalation.sample_id == sample_id and escalation.person_id in imported:
            console.print(
                f"[bold]Escalation {escalation.id}[/bold]: {escalation.person_id}, {escalation.reason}; for the "
                f"child's manager {escalation.manager_id or '(none recorded)'} and the head of service.",
                highlight=False,
            )


@qa.command("escalations")
@click.option("--store", "store", required=True, help="The store the programmes are kept in (file or URL).")
@click.option("--manager", "manager_id", default=None, help="Only those for this manager (worker id).")
def escalations_command(store: str, manager_id: str | None) -> None:
    """The audits escalated and not yet acknowledged: a grade of concern or a safeguarding concern."""
    from casewatch.qa import store as qa_store

    found = qa_store.open_escalations(_open(store), manager_id=manager_id)
    if not found:
        console.print("No escalation is waiting to be acknowledged.")
        return
    shown = Table(title="Escalations waiting to be acknowledged", title_justify="left")
    for heading in ("number", "raised", "sample", "child", "team", "manager", "why"):
        shown.add_column(heading, overflow="fold")
    for e in found:
        shown.add_row(
            str(e.id),
            f"{e.raised_at:%Y-%m-%d %H:%M} UTC",
            str(e.sample_id),
            escape(e.person_id),
            escape(e.team_id or "–"),
            escape(e.manager_id or "–"),
            escape(e.reason),
        )
    console.print(shown)


@qa.command("acknowledge")
@click.argument("escalation_id", type=int, metavar="NUMBER")
@click.option("--store", "store", required=True, help="The store the programmes are kept in (file or URL).")
@click.option("--by", "by", required=True, help="Who acknowledges it (name and role), kept with it.")
def acknowledge_command(escalation_id: int, store: str, by: str) -> None:
    """Record that an escalation was seen and acted on; it leaves the list."""
    from casewatch.qa import store as qa_store

    qa_store.acknowledge(_open(store), escalation_id, by)
    console.print(f"Escalation {escalation_id} acknowledged by {escape(by)}.", highlight=False)


@qa.command("report")
@click.argument("programme_name", metavar="PROGRAMME")
@click.option("--store", "store", required=True, help="The store the programme is kept in (file or URL).")
@click.option(
    "--data",
    "data_path",
    default=None,
    type=click.Path(path_type=Path),
    help="The case data the sample was drawn from: adds the sampled children's timescales beside the council's.",
)
@click.option(
    "--out", "out", type=click.Path(path_type=Path, dir_okay=False), default=None, help="Write .xlsx or .csv."
)
def report_command(programme_name: str, store: str, data_path: Path | None, out: Path | None) -> None:
    """What a programme's audits found: each question against its target, grades by team, progress, timescales."""
    from casewatch import api
    from casewatch.qa import store as qa_store
    from casewatch.qa.form import build_form
    from casewatch.qa.report import build_report

    if out is not None and out.suffix.lower() not in (".csv", ".xlsx"):
        raise CasewatchError(f"{out}: cannot write '{out.suffix or 'no extension'}'; use .csv or .xlsx")
    engine = _open(store)
    sample_id, kept, programme = _latest(engine, programme_name)
    pack = api.load_standards(programme.pack)
    if not kept.sample.members:
        raise CasewatchError(
            f"sample {sample_id} of '{programme_name}' drew no children, so there is nothing to report"
        )
    form = build_form(pack, programme, kept.sample.members[0].person_id, kept.sample.as_at)
    results = _results_at(pack, data_path, kept.sample.as_at) if data_path is not None else None
    report = build_report(
        form,
        kept.sample,
        qa_store.load_audits(engine, sample_id),
        results,
        qa_store.load_moderations(engine, sample_id),
    )
    console.print(
        f"[bold]{escape(programme.name)}[/bold]: sample {sample_id} as at {kept.sample.as_at}, "
        f"{len(kept.sample.members)} children; findings from the audits handed in.",
        highlight=False,
    )
    _print_table("Progress", report.progress)
    _print_table("Questions", report.questions.drop_columns(["group", "question"]))
    _print_table("Overall grades", report.grades)
    if report.moderation is not None:
        _print_table("Moderation: the moderator gave the auditor's answer", report.moderation[0])
        _print_table("Moderation by auditor", report.moderation[1])
    if report.timescales is not None:
        _print_table(
            "Timescales: compliance now of the sampled children and of the council",
            report.timescales.drop_columns(["title", "note"]),
        )
        console.print("Each figure's caveats are the council's, as casewatch evaluate prints them (--out holds them).")
    else:
        console.print("Give --data to set the sampled children's timescales beside the council's.")
    if out is not None:
        from casewatch.reports import write_tables

        write_tables(out, report.sheets())
        console.print(f"Report written to {out}")


def _print_table(title: str, table: pa.Table) -> None:
    shown = Table(title=title, title_justify="left")
    for name in table.column_names:
        shown.add_column(name.replace("_", " "), overflow="fold")
    for row in table.to_pylist():
        shown.add_row(*("–" if v is None else f"{v}" for v in row.values()))
    console.print(shown)


def _import_moderation(engine: Engine, sample_id: int, workbook: Path, sheets: list[CompletedAudit]) -> None:
    """Keep the moderators' blind gradings of a moderation workbook, all or none, and say where they disagree."""
    from casewatch.qa import store as qa_store
    from casewatch.qa.completed import AuditStatus
    from casewatch.qa.moderation import ModerationStatus, from_form

    kept = {m.person_id: m for m in qa_store.load_moderations(engine, sample_id)}
    audits = {a.person_id: a for a in qa_store.load_audits(engine, sample_id)}
    graded = []
    for sheet in sheets:
        if sheet.person_id not in kept:
            raise CasewatchError(f"{workbook}: the audit of {sheet.person_id} was not drawn for moderation")
        if sheet.status is AuditStatus.SUBMITTED:
            # the reader checked the grading whole (every answer and the overall grade), naming the cell
            graded.append(replace(from_form(sheet), status=ModerationStatus.GRADED))
    with engine.begin() as conn:  # all of them or none
        for moderation in graded:
            qa_store.save_moderation(conn, sample_id, moderation)
    console.print(
        f"Kept {len(graded)} moderation{'s' if len(graded) != 1 else ''} of sample {sample_id} from {workbook}; "
        f"{len(sheets) - len(graded)} not handed in, still waiting.",
        highlight=False,
    )
    for moderation in graded:
        audit = audits[moderation.person_id]
        if audit.overall_grade != moderation.overall_grade:
            console.print(
                f"[bold]Disagreement[/bold]: {moderation.person_id} graded {audit.overall_grade} by "
                f"{audit.auditor_id} and {moderation.overall_grade} by {moderation.moderator_id}; settle it with "
                "qa resolve.",
                highlight=False,
            )


@qa.command("moderate")
@click.argument("programme_name", metavar="PROGRAMME")
@click.option("--store", "store", required=True, help="The store the programme is kept in (file or URL).")
@click.option(
    "--share", "share", type=float, default=10.0, show_default=True, help="The percentage of handed-in audits."
)
@click.option("--moderator", "moderators", multiple=True, required=True, help="A moderator's worker id (repeatable).")
@click.option("--seed", type=click.IntRange(min=0), default=None, help="The seed of the draw (default: a new one).")
def moderate_command(
    programme_name: str, store: str, share: float, moderators: tuple[str, ...], seed: int | None
) -> None:
    """Draw a share of the programme's handed-in audits for blind moderation, each to an independent moderator."""
    from casewatch.qa import store as qa_store
    from casewatch.qa.moderation import choose_for_moderation

    engine = _open(store)
    sample_id = qa_store.latest_sample(engine, programme_name)
    kept = qa_store.load_sample(engine, sample_id)
    already = [m.person_id for m in qa_store.load_moderations(engine, sample_id)]
    chosen_seed = seed if seed is not None else secrets.randbelow(10**9)
    chosen, refused = choose_for_moderation(
        kept.sample, qa_store.load_audits(engine, sample_id), moderators, share, chosen_seed, already=already
    )
    qa_store.save_moderations(engine, sample_id, chosen)
    console.print(
        f"Drew {len(chosen)} audit{'s' if len(chosen) != 1 else ''} of sample {sample_id} for moderation "
        f"({share:g}% of those handed in, seed {chosen_seed}):",
        highlight=False,
    )
    for moderation in chosen:
        console.print(f"  {escape(moderation.person_id)}: {escape(moderation.moderator_id)}", highlight=False)
    for sentence in refused:
        console.print(f"Not moderated: {escape(sentence)}", highlight=False)


@qa.command("resolve")
@click.argument("programme_name", metavar="PROGRAMME")
@click.option("--store", "store", required=True, help="The store the programme is kept in (file or URL).")
@click.option("--child", "person_id", required=True, help="The child whose moderated audit is settled.")
@click.option("--grade", "final_grade", required=True, help="The final overall grade (a grade of the scale).")
@click.option("--reason", "reason", required=True, help="Why, kept with the decision.")
def resolve_command(programme_name: str, store: str, person_id: str, final_grade: str, reason: str) -> None:
    """Settle a disagreement between auditor and moderator with the final grade and why."""
    from casewatch import api
    from casewatch.qa import store as qa_store
    from casewatch.qa.form import build_form
    from casewatch.qa.moderation import resolve

    engine = _open(store)
    sample_id, kept, programme = _latest(engine, programme_name)
    moderation = next((m for m in qa_store.load_moderations(engine, sample_id) if m.person_id == person_id), None)
    audit = qa_store.load_audit(engine, sample_id, person_id)
    if moderation is None or audit is None:
        raise CasewatchError(f"the audit of {person_id} was not moderated in sample {sample_id}")
    form = build_form(api.load_standards(programme.pack), programme, person_id, kept.sample.as_at)
    qa_store.save_moderation(engine, sample_id, resolve(form, moderation, audit, final_grade, reason))
    console.print(f"The grade of {escape(person_id)} is settled as {escape(final_grade)}: {escape(reason)}.")


def _latest(engine: Engine, programme_name: str) -> tuple[int, StoredSample, Programme]:
    """A programme's latest sample: its number, the sample as kept, and the programme."""
    from casewatch.qa import store as qa_store

    sample_id = qa_store.latest_sample(engine, programme_name)
    _, programme = qa_store.load_programme(engine, programme_name)
    return sample_id, qa_store.load_sample(engine, sample_id), programme


def _results_at(pack: Pack, data_path: Path, as_at: date) -> Results:
    """The pack evaluated over the case data as at the sample's date, as the forms and the report read it."""
    from casewatch import api

    with console.status(f"Evaluating {pack.id} over {data_path} as at {as_at} …"):
        data = api.load_data(data_path, as_at=as_at)
        try:
            return api.evaluate(pack, data, as_at)
        finally:
            data.close()
