"""The compliance figure: one formula, with its basis and caveats, for every output."""

from __future__ import annotations

import pytest

from casewatch.results import Basis, Outcome, Status, attention_of, compliance


def test_every_status_has_a_label_an_order_and_an_outcome() -> None:
    assert [s.value for s in Status] == [
        "met",
        "met_late",
        "overdue",
        "exception",
        "due_soon",
        "not_due",
        "cancelled",
        "data_issue",
    ]
    assert len({s.attention for s in Status}) == len(Status), "two statuses would sort as one"
    assert Status.by_attention()[0] is Status.OVERDUE
    assert Status.outstanding() == (Status.OVERDUE, Status.DUE_SOON, Status.NOT_DUE)
    assert {s.outcome for s in Status} == set(Outcome)
    assert attention_of("something else") == len(Status)


def test_on_time_counts_only_what_fell_due() -> None:
    figure = compliance({"met": 3, "met_late": 1, "overdue": 1, "due_soon": 7, "not_due": 9, "cancelled": 4})
    assert figure.basis is Basis.ON_TIME
    assert (figure.percent, figure.due) == (60.0, 5)
    assert figure.percent_with_exceptions == 60.0
    assert figure.caveats == ()
    assert figure.shown() == "60.0% met on time"


def test_exceptions_are_left_out_of_the_published_figure_and_counted_as_failures_beside_it() -> None:
    figure = compliance({"met": 3, "overdue": 1, "exception": 4})
    assert (figure.percent, figure.percent_with_exceptions) == (75.0, 37.5)


def test_a_figure_with_nothing_to_count_says_so_instead_of_zero() -> None:
    figure = compliance({"due_soon": 2, "not_due": 1, "data_issue": 5})
    assert figure.percent is None and figure.percent_with_exceptions is None
    assert figure.shown() == "no figure: nothing has fallen due"


def test_a_limited_standard_is_the_share_not_overdue_and_says_why() -> None:
    """Latest records only: the earlier occurrences cannot be judged (the 75.0% that the web once showed as 0%)."""
    figure = compliance(
        {"overdue": 1, "due_soon": 1, "not_due": 2, "met": 5, "met_late": 5},
        limited="judged as at 2026-10-30 only: ssd_cla_visits holds only each child's latest record",
    )
    assert figure.basis is Basis.NOT_OVERDUE
    assert (figure.percent, figure.due) == (75.0, 4)
    assert figure.shown() == "75.0% not overdue"
    assert figure.caveats == (
        "judged as at 2026-10-30 only: ssd_cla_visits holds only each child's latest record, "
        "so the figure is the share not overdue",
    )


def test_instances_left_out_by_the_window_are_a_caveat_on_the_figure() -> None:
    figure = compliance({"met": 1}, left_out="3 instances anchored before 2021-04-01 left out")
    assert figure.percent == 100.0
    assert figure.caveats == ("3 instances anchored before 2021-04-01 left out",)


def test_an_unknown_status_is_an_error_not_a_silent_zero() -> None:
    with pytest.raises(ValueError):
        compliance({"done": 1})
