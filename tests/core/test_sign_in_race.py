"""Eight real processes guessing one password at the same moment: exactly five guesses are
checked before the lock, on SQLite and on PostgreSQL (the count is one conditional UPDATE)."""

from __future__ import annotations

from tests.races import attack


def test_eight_parallel_attackers_get_exactly_five_guesses_checked(database_url, database, alice):
    seen = attack(database_url, "alice", attackers=8, attempts_each=3)
    assert seen.errors == []
    assert seen.attempts == 24
    assert seen.checked == 5
    assert seen.reasons == {"wrong_password": 5, "locked": 19}
