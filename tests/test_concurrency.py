"""Four real processes x 300 mixed saves on the same rows, on SQLite and on PostgreSQL: every
save either wins or is told who won; none is lost, none ends in an uncaught error.

The harness is tests/races.py; benchmarks/bench_concurrency.py prints the same counts.
"""

from __future__ import annotations

from tests.races import run

# What a loser may be told: who saved, and when (or, for a signature, that it already is).
TOLD_WHO_AND_WHEN = {
    "task.error_changed",
    "reservation.error_changed",
    "catalogue.error_changed",
    "shifts.error_changed",
    "staff.error_changed",
    "jobs.error_changed",
    "briefing.error_already_signed",
}


def test_four_processes_saving_the_same_rows_lose_nothing_and_never_crash(database_url):
    counts = run(database_url, processes=4, operations=300)
    assert counts.error_samples == []
    assert (counts.operations, counts.errors, counts.lost_updates) == (1200, 0, 0)
    assert counts.saved > 0 and counts.conflicts > 0  # the rows really were fought over
    assert set(counts.by_operation) == {
        "task_status",
        "assignment",
        "catalogue",
        "shift",
        "staff",
        "signature",
        "setting",
        "reservation",
        "guest",
    }
    told = {
        outcome.removeprefix("refused: ")
        for outcomes in counts.by_operation.values()
        for outcome in outcomes
        if outcome.startswith("refused: ")
    }
    assert told <= TOLD_WHO_AND_WHEN  # never a generic "someone saved this meanwhile"
