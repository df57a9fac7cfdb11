"""What a job said reads in the reader's language: stored as a key and values, shown in French
on a French manager's jobs page, and still in English for the log and the command line."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from core.clock import set_now
from core.scheduling import JobRun, run_job

QUIET_NIGHT = datetime(2026, 7, 14, 1, 0, tzinfo=UTC)  # 03:00 in Paris: nobody arriving


def run_rooms_job(database, hotel):
    set_now(QUIET_NIGHT)
    return run_job(database, "room_not_ready", hotel.id, QUIET_NIGHT, holder="test")


def test_a_result_is_stored_as_a_key_and_read_in_each_language(database, hotel):
    outcome = run_rooms_job(database, hotel)
    assert outcome is not None and outcome.result == "no arrival within the hour"
    assert outcome.result_in("fr") == "aucune arrivée dans l'heure"
    with database.read() as session:
        run = session.scalars(select(JobRun).where(JobRun.job == "room_not_ready")).one()
    assert (run.result_key, run.result) == ("jobs.result_no_arrival_soon", outcome.result)
    assert run.result_in("fr") == "aucune arrivée dans l'heure"


def test_a_plain_text_result_still_shows_as_it_was_written(database, hotel):
    with database.write() as session:
        session.add(
            JobRun(
                job="room_not_ready",
                scope=f"property:{hotel.id}",
                property_id=hotel.id,
                slot=QUIET_NIGHT,
                trigger="schedule",
                holder="an older version",
                started_at=QUIET_NIGHT,
                status="ok",
                result="3 arrivals soon; not ready: none",
            )
        )
    with database.read() as session:
        run = session.scalars(select(JobRun)).one()
    assert run.result_in("fr") == "3 arrivals soon; not ready: none"


def test_the_french_jobs_page_shows_the_result_in_french(database, hotel, maria, signed_in):
    run_rooms_job(database, hotel)
    app = signed_in("maria", "jobs")
    shown = " ".join(str(v) for frame in app.dataframe for v in frame.value.to_numpy().ravel())
    assert "aucune arrivée dans l'heure" in shown
    assert "no arrival within the hour" not in shown
