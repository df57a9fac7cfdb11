"""An import plans from what it read; a reservation someone saved after that is planned again,
never overwritten with the values the plan saw."""

from __future__ import annotations

from datetime import date

from core.auth import system_actor
from guests.importer import read_file, run_import
from guests.reservations import ReservationInput, reservation_by_confirmation, update_reservation

HEADER = "Conf. No,Guest Name,Arrival,Departure,Adults,Specials\n"


def _file(wishes: str, new_rows: int) -> bytes:
    lines = [f"R0,Marie Dubois,2026-07-10,2026-07-12,2,{wishes}"]
    lines += [f"N{n},Guest {n},2026-07-10,2026-07-11,1," for n in range(new_rows)]
    return (HEADER + "\n".join(lines) + "\n").encode()


def test_a_save_between_the_plan_and_the_write_is_kept(database, hotel, rita):
    importer = system_actor(hotel.id, "import")
    with database.write() as session:
        run_import(session, importer, hotel.id, read_file(_file("baby cot please", 0), "a.csv"))
    agent_saved = []

    def an_agent_saves_meanwhile(done: int, total: int) -> None:
        """Called once the new rows are written, before the existing one (R0) is."""
        if agent_saved:
            return
        current = reservation_by_confirmation(session, hotel.id, "R0")
        assert current is not None
        update_reservation(session, rita, hotel.id, current.id, ReservationInput(
            confirmation_number="R0", guest_name="Marie Dubois", arrival_date=date(2026, 7, 10),
            departure_date=date(2026, 7, 12), adults=3, wish_text=current.wish_text,
        ), version=current.version)
        agent_saved.append(done)

    with database.write() as session:
        summary = run_import(session, importer, hotel.id,
                             read_file(_file("extra pillows please", 100), "b.csv"),
                             progress=an_agent_saves_meanwhile)
    assert agent_saved == [100]
    assert (summary.created, summary.updated) == (100, 1)
    with database.read() as session:
        r0 = reservation_by_confirmation(session, hotel.id, "R0")
        assert r0 is not None
        assert (r0.adults, r0.wish_text) == (3, "extra pillows please")
