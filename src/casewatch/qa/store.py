"""Where audit programmes, samples and allocations are kept: tables in the app's own store.

The tables live in the same database as the rest of the app (``casewatch.web.store``: one SQLite file, or
PostgreSQL), so a QA lead's programme is beside the results it samples from. They are defined here, not in
``web/store.py``, because ``qa`` sits below the web app and may not import it; the web store creates them with
its own (``create_tables``), and this module's functions take the store's SQLAlchemy engine. A sample keeps its
seed and rule, so it can be drawn again to the same children; each member keeps the reason it was drawn, and an
allocation that is moved is ended, not overwritten, so who held an audit when stays on record.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    Date,
    DateTime,
    Engine,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    delete,
    insert,
    select,
    update,
)

from casewatch.errors import CasewatchError

from .allocation import Allocation, Assignment
from .completed import AuditStatus, CompletedAudit, QuestionAnswer, concerns
from .grades import grade_scale
from .moderation import Moderation, ModerationStatus
from .programme import Programme
from .sampling import Member, PriorAudit, Sample, SampleRule

metadata = MetaData()

programmes = Table(
    "cw_qa_programmes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("pack", String(64), nullable=False),
    Column("groups", Text, nullable=False),  # audit group ids, one per line
    Column("questions", Text, nullable=False),  # audit question ids, one per line
    Column("rule", Text, nullable=False),  # SampleRule.to_json(): the cohort rule
    Column("auditors", Text, nullable=False),  # worker ids, one per line
    Column("due_date", Date, nullable=False),
    Column("grade_scale", String(64), nullable=False),
    Column("across_teams", Boolean, nullable=False),
    Column("created_at", DateTime, nullable=False),
)

samples = Table(
    "cw_qa_samples",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("programme_id", Integer, ForeignKey("cw_qa_programmes.id"), nullable=False, index=True),
    Column("as_at", Date, nullable=False),
    Column("seed", String(40), nullable=False),  # text: a seed may be larger than a database integer
    Column("rule", Text, nullable=False),  # SampleRule.to_json(): the rule that drew it
    Column("rule_text", Text, nullable=False),  # the rule as the QA lead read it
    Column("cohort", Integer, nullable=False),
    Column("shortfalls", Text, nullable=False),  # one sentence per line
    Column("drawn_at", DateTime, nullable=False),
)

sample_members = Table(
    "cw_qa_sample_members",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("sample_id", Integer, ForeignKey("cw_qa_samples.id"), nullable=False),
    Column("person_id", String(64), nullable=False),
    Column("draw_order", Integer, nullable=False),
    Column("sample_group", String(100), nullable=False),
    Column("stage", String(16)),
    Column("worker_id", String(64)),
    Column("team_id", String(64)),
    Column("manager_id", String(64)),
    Column("held_on", Date, nullable=False),  # the day the worker, team and stage were taken on
    Column("reason", Text, nullable=False),
    UniqueConstraint("sample_id", "person_id"),
    # "Not audited in the last 12 months" reads each child's samples.
    Index("ix_cw_qa_sample_members_person", "person_id"),
)

allocations = Table(
    "cw_qa_allocations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("sample_id", Integer, ForeignKey("cw_qa_samples.id"), nullable=False),
    Column("person_id", String(64), nullable=False),
    Column("auditor_id", String(64), nullable=False),
    Column("note", Text, nullable=False),
    Column("allocated_at", DateTime, nullable=False),
    Column("ended_at", DateTime),  # set when the audit moves to another auditor
    Index("ix_cw_qa_allocations_auditor", "auditor_id", "ended_at"),
    Index("ix_cw_qa_allocations_sample", "sample_id", "person_id"),
)

audits = Table(
    "cw_qa_audits",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("sample_id", Integer, ForeignKey("cw_qa_samples.id"), nullable=False),
    Column("person_id", String(64), nullable=False),
    Column("auditor_id", String(64), nullable=False),
    Column("status", String(16), nullable=False),
    Column("overall_grade", String(64)),
    Column("child_voice", Text, nullable=False),
    Column("impact", Text, nullable=False),
    Column("safeguarding_concern", Boolean, nullable=False),
    Column("returned_because", Text, nullable=False),
    Column("updated_at", DateTime, nullable=False),
    Column("submitted_at", DateTime),
    UniqueConstraint("sample_id", "person_id"),
)

answers = Table(
    "cw_qa_answers",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("audit_id", Integer, ForeignKey("cw_qa_audits.id"), nullable=False, index=True),
    Column("question_id", String(100), nullable=False),
    Column("answer", String(32)),
    Column("grade", String(64)),
    Column("evidence", Text, nullable=False),
    UniqueConstraint("audit_id", "question_id"),
)

escalations = Table(
    "cw_qa_escalations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("sample_id", Integer, ForeignKey("cw_qa_samples.id"), nullable=False),
    Column("person_id", String(64), nullable=False),
    Column("team_id", String(64)),  # the team that held the child on the sample's date
    Column("manager_id", String(64)),  # that worker's line manager, who is told
    Column("reason", Text, nullable=False),
    Column("raised_at", DateTime, nullable=False),
    Column("acknowledged_at", DateTime),
    Column("acknowledged_by", String(200)),
    Index("ix_cw_qa_escalations_open", "acknowledged_at", "manager_id"),
)

moderations = Table(
    "cw_qa_moderations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("sample_id", Integer, ForeignKey("cw_qa_samples.id"), nullable=False),
    Column("person_id", String(64), nullable=False),
    Column("moderator_id", String(64), nullable=False),
    Column("status", String(16), nullable=False),
    Column("overall_grade", String(64)),
    Column("final_grade", String(64)),
    Column("resolution", Text, nullable=False),
    Column("chosen_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
    UniqueConstraint("sample_id", "person_id"),
)

moderation_answers = Table(
    "cw_qa_moderation_answers",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("moderation_id", Integer, ForeignKey("cw_qa_moderations.id"), nullable=False, index=True),
    Column("question_id", String(100), nullable=False),
    Column("answer", String(32), nullable=False),
    UniqueConstraint("moderation_id", "question_id"),
)

TABLES = (
    programmes,
    samples,
    sample_members,
    allocations,
    audits,
    answers,
    escalations,
    moderations,
    moderation_answers,
)


@dataclass(frozen=True)
class Escalation:
    """A handed-in audit the child's manager and the head of service must see at once, until acknowledged."""

    id: int
    sample_id: int
    person_id: str
    team_id: str | None
    manager_id: str | None
    reason: str
    raised_at: datetime
    acknowledged_at: datetime | None = None
    acknowledged_by: str | None = None


Target = Engine | Connection
"""A store, or a connection already in a transaction (so several steps are kept together or not at all)."""


@contextmanager
def _begin(target: Target) -> Iterator[Connection]:
    """A connection in a transaction: the caller's own, or a new one committed when the block ends."""
    if isinstance(target, Connection):
        yield target
    else:
        with target.begin() as conn:
            yield conn


def create_tables(engine: Engine) -> None:
    """Create the audit tables that are missing (the web store calls this when it opens)."""
    metadata.create_all(engine)


@dataclass(frozen=True)
class StoredSample:
    """A sample read back from the store."""

    id: int
    programme: str
    sample: Sample


def check_new_programme(target: Target, name: str) -> None:
    """Refuse a programme name already in the store (names are how a QA lead finds a programme)."""
    with _begin(target) as conn:
        if conn.execute(select(programmes.c.id).where(programmes.c.name == name)).first():
            raise CasewatchError(f"there is already an audit programme called '{name}'; give this one another name")


def save_programme(target: Target, programme: Programme) -> int:
    """Keep a programme; a name already used is an error."""
    with _begin(target) as conn:
        check_new_programme(conn, programme.name)
        result = conn.execute(
            insert(programmes).values(
                name=programme.name,
                pack=programme.pack,
                groups="\n".join(programme.groups),
                questions="\n".join(programme.questions),
                rule=programme.rule.to_json(),
                auditors="\n".join(programme.auditors),
                due_date=programme.due_date,
                grade_scale=programme.grade_scale,
                across_teams=programme.across_teams,
                created_at=_now(),
            )
        )
        return _key(result.inserted_primary_key)


def keep(engine: Engine, programme: Programme, sample: Sample, allocation: Allocation | None = None) -> int:
    """Keep a new programme, its first sample and the sample's allocation together, or none of them; the sample's
    id."""
    with engine.begin() as conn:
        sample_id = save_sample(conn, save_programme(conn, programme), sample)
        if allocation is not None:
            save_allocation(conn, sample_id, allocation)
    return sample_id


def load_programme(engine: Engine, name: str) -> tuple[int, Programme]:
    with engine.connect() as conn:
        row = conn.execute(select(programmes).where(programmes.c.name == name)).mappings().first()
    if row is None:
        raise CasewatchError(f"there is no audit programme called '{name}'")
    return int(row["id"]), Programme(
        name=row["name"],
        pack=row["pack"],
        groups=_lines(row["groups"]),
        questions=_lines(row["questions"]),
        rule=SampleRule.from_json(row["rule"]),
        auditors=_lines(row["auditors"]),
        due_date=row["due_date"],
        grade_scale=row["grade_scale"],
        across_teams=bool(row["across_teams"]),
    )


def save_sample(target: Target, programme_id: int, sample: Sample) -> int:
    """Keep a sample with its seed, rule, shortfalls and every member's reason, in one transaction."""
    with _begin(target) as conn:
        sample_id = _key(
            conn.execute(
                insert(samples).values(
                    programme_id=programme_id,
                    as_at=sample.as_at,
                    seed=str(sample.seed),
                    rule=sample.rule.to_json(),
                    rule_text=sample.rule.describe(),
                    cohort=sample.cohort,
                    shortfalls="\n".join(s.sentence() for s in sample.shortfalls),
                    drawn_at=_now(),
                )
            ).inserted_primary_key
        )
        if sample.members:
            conn.execute(
                insert(sample_members),
                [
                    {
                        "sample_id": sample_id,
                        "person_id": m.person_id,
                        "draw_order": index,
                        "sample_group": m.group,
                        "stage": m.stage,
                        "worker_id": m.worker_id,
                        "team_id": m.team_id,
                        "manager_id": m.manager_id,
                        "held_on": m.held_on,
                        "reason": m.reason,
                    }
                    for index, m in enumerate(sample.members)
                ],
            )
    return sample_id


def load_sample(engine: Engine, sample_id: int) -> StoredSample:
    """A stored sample with its members in draw order (shortfalls and exclusions are kept as sentences only)."""
    with engine.connect() as conn:
        row = (
            conn.execute(
                select(samples, programmes.c.name)
                .join(programmes, programmes.c.id == samples.c.programme_id)
                .where(samples.c.id == sample_id)
            )
            .mappings()
            .first()
        )
        if row is None:
            raise CasewatchError(f"there is no sample {sample_id}")
        members = conn.execute(
            select(sample_members).where(sample_members.c.sample_id == sample_id).order_by(sample_members.c.draw_order)
        ).mappings()
        drawn = tuple(
            Member(
                person_id=m["person_id"],
                group=m["sample_group"],
                stage=m["stage"],
                worker_id=m["worker_id"],
                team_id=m["team_id"],
                manager_id=m["manager_id"],
                reason=m["reason"],
                held_on=m["held_on"],
            )
            for m in members
        )
    sample = Sample(
        rule=SampleRule.from_json(row["rule"]),
        seed=int(row["seed"]),
        as_at=row["as_at"],
        cohort=int(row["cohort"]),
        members=drawn,
    )
    return StoredSample(int(row["id"]), row["name"], sample)


def latest_sample(engine: Engine, programme_name: str) -> int:
    """The number of a programme's latest sample (a programme is drawn once; a redraw is a new sample)."""
    programme_id, _ = load_programme(engine, programme_name)
    with engine.connect() as conn:
        found = conn.execute(
            select(samples.c.id).where(samples.c.programme_id == programme_id).order_by(samples.c.id.desc())
        ).scalar()
    if found is None:
        raise CasewatchError(f"the audit programme '{programme_name}' has no sample yet: draw one with qa sample")
    return int(found)


def prior_audits(engine: Engine) -> list[PriorAudit]:
    """Every child drawn into a stored sample, on the sample's date: being drawn is what counts as audited for
    "not audited in the last 12 months", whether or not the audit has been submitted yet, so a child of a
    programme still running is not drawn into another."""
    query = (
        select(sample_members.c.person_id, samples.c.as_at, programmes.c.name)
        .join(samples, samples.c.id == sample_members.c.sample_id)
        .join(programmes, programmes.c.id == samples.c.programme_id)
    )
    with engine.connect() as conn:
        return [PriorAudit(p, d, n) for p, d, n in conn.execute(query)]


def save_allocation(target: Target, sample_id: int, allocation: Allocation) -> None:
    """Keep who audits each child: an audit whose auditor changed is ended and a new row begins."""
    now = _now()
    with _begin(target) as conn:
        current = {
            p: (i, a)
            for i, p, a in conn.execute(
                select(allocations.c.id, allocations.c.person_id, allocations.c.auditor_id).where(
                    allocations.c.sample_id == sample_id, allocations.c.ended_at.is_(None)
                )
            )
        }
        for assignment in allocation.assignments:
            held = current.get(assignment.person_id)
            if held is not None and held[1] == assignment.auditor_id:
                continue
            if held is not None:
                conn.execute(update(allocations).where(allocations.c.id == held[0]).values(ended_at=now))
            conn.execute(
                insert(allocations).values(
                    sample_id=sample_id,
                    person_id=assignment.person_id,
                    auditor_id=assignment.auditor_id,
                    note=assignment.note,
                    allocated_at=now,
                )
            )


def load_allocation(engine: Engine, sample_id: int) -> Allocation:
    """The current auditor of each child of a sample."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(allocations.c.person_id, allocations.c.auditor_id, allocations.c.note)
            .where(allocations.c.sample_id == sample_id, allocations.c.ended_at.is_(None))
            .order_by(allocations.c.id)
        ).all()
    return Allocation(tuple(Assignment(p, a, n) for p, a, n in rows))


def save_audit(target: Target, sample_id: int, audit: CompletedAudit) -> None:
    """Keep a child's audit as it now stands (a draft, a submission or a return), its answers replaced whole.

    Only the child's current auditor may keep it: an audit moved to another auditor is theirs from then on. A
    submission with a grade of concern or a safeguarding concern raises an escalation in the same transaction
    (``completed.concerns``), so no way of handing an audit in can forget to tell the child's manager."""
    now = _now()
    with _begin(target) as conn:
        auditor = conn.execute(
            select(allocations.c.auditor_id).where(
                allocations.c.sample_id == sample_id,
                allocations.c.person_id == audit.person_id,
                allocations.c.ended_at.is_(None),
            )
        ).scalar()
        if auditor is None:
            raise CasewatchError(f"{audit.person_id} is not allocated for audit in sample {sample_id}")
        if auditor != audit.auditor_id:
            raise CasewatchError(f"the audit of {audit.person_id} is allocated to {auditor}, not {audit.auditor_id}")
        values = {
            "auditor_id": audit.auditor_id,
            "status": audit.status.value,
            "overall_grade": audit.overall_grade,
            "child_voice": audit.child_voice,
            "impact": audit.impact,
            "safeguarding_concern": audit.safeguarding_concern,
            "returned_because": audit.returned_because,
            "updated_at": now,
            "submitted_at": now if audit.status is AuditStatus.SUBMITTED else None,
        }
        where = (audits.c.sample_id == sample_id, audits.c.person_id == audit.person_id)
        found = conn.execute(select(audits.c.id, audits.c.status).where(*where)).first()
        audit_id = None if found is None else found[0]
        if found is not None and found[1] == AuditStatus.SUBMITTED and audit.status is not AuditStatus.RETURNED:
            # An old copy of the form (a workbook sent before it was handed in) must not undo a submission.
            raise CasewatchError(
                f"the audit of {audit.person_id} has been submitted; the QA lead must return it before it changes"
            )
        if audit_id is None:
            audit_id = _key(
                conn.execute(
                    insert(audits).values(sample_id=sample_id, person_id=audit.person_id, **values)
                ).inserted_primary_key
            )
        else:
            conn.execute(update(audits).where(audits.c.id == audit_id).values(**values))
            conn.execute(delete(answers).where(answers.c.audit_id == audit_id))
        if audit.answers:
            conn.execute(
                insert(answers),
                [
                    {
                        "audit_id": audit_id,
                        "question_id": question_id,
                        "answer": given.answer,
                        "grade": given.grade,
                        "evidence": given.evidence,
                    }
                    for question_id, given in audit.answers.items()
                ],
            )
        if audit.status is AuditStatus.SUBMITTED:
            _escalate(conn, sample_id, audit, now)


def _escalate(conn: Connection, sample_id: int, audit: CompletedAudit, now: datetime) -> None:
    """Raise the escalation a handed-in audit calls for, unless one is already open for the child."""
    scale_name = conn.execute(
        select(programmes.c.grade_scale)
        .join(samples, samples.c.programme_id == programmes.c.id)
        .where(samples.c.id == sample_id)
    ).scalar()
    reasons = concerns(audit, grade_scale(scale_name).scale)
    if not reasons:
        return
    open_already = conn.execute(
        select(escalations.c.id).where(
            escalations.c.sample_id == sample_id,
            escalations.c.person_id == audit.person_id,
            escalations.c.acknowledged_at.is_(None),
        )
    ).first()
    if open_already is not None:
        return
    member = conn.execute(
        select(sample_members.c.team_id, sample_members.c.manager_id).where(
            sample_members.c.sample_id == sample_id, sample_members.c.person_id == audit.person_id
        )
    ).first()
    conn.execute(
        insert(escalations).values(
            sample_id=sample_id,
            person_id=audit.person_id,
            team_id=None if member is None else member[0],
            manager_id=None if member is None else member[1],
            reason="; ".join(reasons),
            raised_at=now,
        )
    )


def open_escalations(engine: Engine, *, manager_id: str | None = None) -> list[Escalation]:
    """The escalations not yet acknowledged, oldest first: all (the head of service, the QA lead) or one manager's."""
    query = select(escalations).where(escalations.c.acknowledged_at.is_(None)).order_by(escalations.c.id)
    if manager_id is not None:
        query = query.where(escalations.c.manager_id == manager_id)
    with engine.connect() as conn:
        return [Escalation(**row) for row in conn.execute(query).mappings()]


def acknowledge(engine: Engine, escalation_id: int, by: str) -> None:
    """Record that an escalation was seen and acted on, and by whom; it then leaves the open list."""
    if not by.strip():
        raise CasewatchError("say who acknowledges the escalation")
    with engine.begin() as conn:
        done = conn.execute(
            update(escalations)
            .where(escalations.c.id == escalation_id, escalations.c.acknowledged_at.is_(None))
            .values(acknowledged_at=_now(), acknowledged_by=by.strip())
        )
        if done.rowcount == 0:
            raise CasewatchError(f"there is no open escalation {escalation_id}")


def save_moderations(target: Target, sample_id: int, chosen: Sequence[Moderation]) -> None:
    """Keep the audits drawn for moderation with their moderators, waiting to be graded."""
    now = _now()
    with _begin(target) as conn:
        for moderation in chosen:
            conn.execute(
                insert(moderations).values(
                    sample_id=sample_id,
                    person_id=moderation.person_id,
                    moderator_id=moderation.moderator_id,
                    status=moderation.status.value,
                    resolution="",
                    chosen_at=now,
                    updated_at=now,
                )
            )


def save_moderation(target: Target, sample_id: int, moderation: Moderation) -> None:
    """Keep a moderator's grading, or the QA lead's resolution, of an audit drawn for moderation by that moderator."""
    with _begin(target) as conn:
        row = conn.execute(
            select(moderations.c.id, moderations.c.moderator_id).where(
                moderations.c.sample_id == sample_id, moderations.c.person_id == moderation.person_id
            )
        ).first()
        if row is None:
            raise CasewatchError(
                f"the audit of {moderation.person_id} was not drawn for moderation in sample {sample_id}"
            )
        if row[1] != moderation.moderator_id:
            raise CasewatchError(
                f"the moderation of {moderation.person_id} is {row[1]}'s, not {moderation.moderator_id}'s"
            )
        conn.execute(
            update(moderations)
            .where(moderations.c.id == row[0])
            .values(
                status=moderation.status.value,
                overall_grade=moderation.overall_grade,
                final_grade=moderation.final_grade,
                resolution=moderation.resolution,
                updated_at=_now(),
            )
        )
        conn.execute(delete(moderation_answers).where(moderation_answers.c.moderation_id == row[0]))
        if moderation.answers:
            conn.execute(
                insert(moderation_answers),
                [{"moderation_id": row[0], "question_id": q, "answer": a} for q, a in moderation.answers.items()],
            )


def load_moderations(engine: Engine, sample_id: int) -> list[Moderation]:
    """The moderations of a sample, in the order they were drawn."""
    with engine.connect() as conn:
        rows = (
            conn.execute(select(moderations).where(moderations.c.sample_id == sample_id).order_by(moderations.c.id))
            .mappings()
            .all()
        )
        given: dict[int, dict[str, Any]] = {}
        for moderation_id, question_id, answer in conn.execute(
            select(moderation_answers.c.moderation_id, moderation_answers.c.question_id, moderation_answers.c.answer)
            .where(moderation_answers.c.moderation_id.in_([r["id"] for r in rows]))
            .order_by(moderation_answers.c.id)
        ):
            given.setdefault(moderation_id, {})[question_id] = answer
    return [
        Moderation(
            person_id=r["person_id"],
            moderator_id=r["moderator_id"],
            answers=given.get(r["id"], {}),
            overall_grade=r["overall_grade"],
            status=ModerationStatus(r["status"]),
            final_grade=r["final_grade"],
            resolution=r["resolution"],
        )
        for r in rows
    ]


def load_audit(engine: Engine, sample_id: int, person_id: str) -> CompletedAudit | None:
    """A child's audit as last kept, or None when none has been started."""
    found = _load_audits(engine, sample_id, person_id)
    return found[0] if found else None


def load_audits(engine: Engine, sample_id: int) -> list[CompletedAudit]:
    """Every audit of a sample as last kept, drafts included, in the order they were begun."""
    return _load_audits(engine, sample_id, None)


def _load_audits(engine: Engine, sample_id: int, person_id: str | None) -> list[CompletedAudit]:
    where = [audits.c.sample_id == sample_id]
    if person_id is not None:
        where.append(audits.c.person_id == person_id)
    with engine.connect() as conn:
        rows = conn.execute(select(audits).where(*where).order_by(audits.c.id)).mappings().all()
        given: dict[int, list[Any]] = {}
        if rows:
            for audit_id, *answer in conn.execute(
                select(answers.c.audit_id, answers.c.question_id, answers.c.answer, answers.c.grade, answers.c.evidence)
                .where(answers.c.audit_id.in_([r["id"] for r in rows]))
                .order_by(answers.c.id)
            ):
                given.setdefault(audit_id, []).append(answer)
    return [_audit(row, given.get(row["id"], [])) for row in rows]


def _audit(row: Any, given: list[Any]) -> CompletedAudit:
    return CompletedAudit(
        person_id=row["person_id"],
        auditor_id=row["auditor_id"],
        answers={q: QuestionAnswer(a, g, e) for q, a, g, e in given},
        overall_grade=row["overall_grade"],
        child_voice=row["child_voice"],
        impact=row["impact"],
        safeguarding_concern=bool(row["safeguarding_concern"]),
        status=AuditStatus(row["status"]),
        returned_because=row["returned_because"],
    )


def _key(primary_key: Any) -> int:
    """The id the database gave a new row."""
    return int(primary_key[0])


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line for line in text.split("\n") if line)


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


__all__ = [
    "TABLES",
    "Escalation",
    "StoredSample",
    "acknowledge",
    "allocations",
    "answers",
    "audits",
    "check_new_programme",
    "create_tables",
    "keep",
    "latest_sample",
    "load_allocation",
    "load_audit",
    "load_audits",
    "load_moderations",
    "load_programme",
    "load_sample",
    "metadata",
    "open_escalations",
    "prior_audits",
    "programmes",
    "sample_members",
    "samples",
    "save_allocation",
    "save_audit",
    "save_moderation",
    "save_moderations",
    "save_programme",
    "save_sample",
]
