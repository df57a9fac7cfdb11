"""Real processes saving the same rows at once: the harness behind the concurrency test and
benchmarks/bench_concurrency.py.

Each worker process repeatedly loads a row (a task, a reservation, its guest, a catalogue
entry, a shift, a person, a job's settings, a briefing) and saves a change on the version it
loaded, as a person would. Every successful save is logged with the version it was made on.
A lost update is two successes on the same version of the same row (the second overwrote the
first without being told), or a row whose final version or value does not match its logged
saves. An uncaught error is anything that is not a refusal a person can read (a UserError).
"""

from __future__ import annotations

import multiprocessing
import random
import sys
import time as timer
import traceback
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import time, timedelta
from typing import Any

from sqlalchemy import func, select

JOB = "purge_guest_data"
CATALOGUE_ENTRIES = 2  # the first codes of the hotel's catalogue, fought over
TARGET_ROLES = ("front_desk", "reservations", "housekeeping")
OPERATIONS = (  # name, weight
    ("task_status", 4),
    ("assignment", 2),
    ("catalogue", 2),
    ("shift", 2),
    ("staff", 2),
    ("signature", 1),
    ("setting", 1),
    ("reservation", 2),
    ("guest", 1),
)


_MAIN = sys.modules["__main__"]  # pytest's, as it was when the tests were collected


@contextmanager
def _spawning() -> Iterator[None]:
    """A spawned process runs the parent's __main__ again. AppTest.from_function leaves the
    last page it ran there, whose script fails outside Streamlit: the test run's own is put
    back while the workers start."""
    page = sys.modules["__main__"]
    sys.modules["__main__"] = _MAIN
    try:
        yield
    finally:
        sys.modules["__main__"] = page


@dataclass
class Setup:
    url: str
    property_id: int
    day: str  # ISO date of the arrivals whose briefing is signed
    managers: list[int]  # one manager per worker
    signers: list[int]  # one front-desk person per worker, and a shared one last
    targets: list[int]  # people whose roles the managers edit
    tasks: list[int]
    catalogue: list[int]
    shifts: list[int]
    reservations: list[int] = field(default_factory=list)
    guests: list[int] = field(default_factory=list)
    initial: dict[str, int] = field(default_factory=dict)  # "kind:id" -> version at start
    checked: bool = True  # False: the baseline, saves that do not say what they loaded


@dataclass
class Counts:
    processes: int
    operations: int
    saved: int
    conflicts: int  # told "changed by X at HH:MM" (or already signed, or changed while read)
    lost_updates: int
    errors: int
    by_operation: dict[str, Counter] = field(default_factory=dict)
    error_samples: list[str] = field(default_factory=list)
    lost_samples: list[str] = field(default_factory=list)
    seconds: float = 0.0


def prepare(url: str, processes: int) -> Setup:
    """A hotel with a manager and a front-desk person per worker, three people to edit, and
    tomorrow's arrivals with tasks to work."""
    from core.auth import system_actor
    from core.db import get_database
    from core.staff import create_staff
    from core.startup import register_domains
    from guests.models import Reservation
    from guests.properties import create_property
    from guests.reservations import ReservationInput, save_reservation
    from requests.models import CatalogueItem, Task
    from shift_briefing.models import Shift

    register_domains()
    database = get_database(url)
    with database.write() as session:
        hotel = create_property(session, system_actor(None), code="RACE", name="Hôtel Course")
        system = system_actor(hotel.id)

        def person(login: str, name: str, roles: list[str]) -> int:
            made = create_staff(
                session,
                system,
                name=name,
                login=login,
                password=f"{login}-password",
                roles=roles,
                department=roles[0] if roles[0] != "manager" else None,
                property_id=hotel.id,
            )
            return made.id

        managers = [person(f"m{n}", f"Manager {n}", ["manager"]) for n in range(processes)]
        signers = [person(f"d{n}", f"Desk {n}", ["front_desk"]) for n in range(processes)]
        signers.append(person("shared", "Shared Desk", ["front_desk"]))
        targets = [person(f"t{n}", f"Target {n}", ["front_desk"]) for n in range(3)]
        hotel_id, zone = hotel.id, hotel.timezone
    from core.clock import today

    day = today(zone) + timedelta(days=1)
    with database.write() as session:
        agent = system_actor(hotel_id)
        for n, wish in enumerate(("baby cot please", "extra pillows", "a cot and pillows")):
            save_reservation(
                session,
                agent,
                hotel_id,
                ReservationInput(
                    confirmation_number=f"R{n}",
                    guest_name=f"Guest {n}",
                    arrival_date=day,
                    departure_date=day + timedelta(days=2),
                    wish_text=wish,
                ),
            )
    with database.read() as session:
        tasks = list(session.scalars(select(Task.id).where(Task.property_id == hotel_id)))
        catalogue = list(
            session.scalars(
                select(CatalogueItem.id)
                .where(CatalogueItem.property_id == hotel_id)
                .order_by(CatalogueItem.code)
                .limit(CATALOGUE_ENTRIES)
            )
        )
        shifts = list(session.scalars(select(Shift.id).where(Shift.property_id == hotel_id)))
        stays = session.execute(
            select(Reservation.id, Reservation.guest_id)
            .where(Reservation.property_id == hotel_id)
            .order_by(Reservation.id)
        ).all()
    setup = Setup(
        url, hotel_id, day.isoformat(), managers, signers, targets, tasks, catalogue, shifts,
        reservations=[r for r, _ in stays], guests=[g for _, g in stays],
    )
    setup.initial = versions(setup)
    return setup


def versions(setup: Setup) -> dict[str, int]:
    from core.db import get_database
    from core.models import Staff
    from core.scheduling import JobSetting
    from guests.models import Guest, Reservation
    from requests.models import CatalogueItem, Task
    from shift_briefing.models import Shift

    found = {}
    with get_database(setup.url).read() as session:
        for kind, model, ids in (
            ("task", Task, setup.tasks),
            ("catalogue", CatalogueItem, setup.catalogue),
            ("shift", Shift, setup.shifts),
            ("staff", Staff, setup.targets),
            ("reservation", Reservation, setup.reservations),
            ("guest", Guest, setup.guests),
        ):
            for row in session.scalars(select(model).where(model.id.in_(ids))):
                found[f"{kind}:{row.id}"] = row.version
        stored = session.scalar(select(JobSetting).where(JobSetting.job == JOB))
        found[f"job:{JOB}"] = stored.version if stored else 0
    return found


def work(setup: Setup, worker: int, operations: int, start: Any, results: Any) -> None:
    """One process: `operations` loads-then-saves on rows the other workers save too."""
    from core.startup import register_domains

    register_domains()
    log: list[tuple] = []
    try:
        start.wait()
        log = _work(setup, worker, operations)
    except Exception:  # the harness itself failed: reported as an error, never hidden
        log.append(("harness", "error", traceback.format_exc()))
    results.put((worker, log))


def _work(setup: Setup, worker: int, operations: int) -> list[tuple]:
    from core.auth import actor_for
    from core.db import get_database
    from core.errors import UserError
    from core.models import Staff

    database = get_database(setup.url)
    with database.read() as session:
        manager = actor_for(session.get(Staff, setup.managers[worker]))
        signers = [actor_for(session.get(Staff, setup.signers[worker]))]
        signers.append(actor_for(session.get(Staff, setup.signers[-1])))
    chance = random.Random(1000 + worker)
    names = [name for name, _ in OPERATIONS]
    weights = [weight for _, weight in OPERATIONS]
    log: list[tuple] = []
    for n in range(operations):
        operation = chance.choices(names, weights)[0]
        try:
            saved = OPERATION_BODIES[operation](database, setup, manager, signers, chance, n)
            log.append((operation, "saved", saved) if saved else (operation, "unchanged", None))
        except UserError as refused:
            log.append((operation, "refused", _told(refused)))
        except Exception:
            log.append((operation, "error", traceback.format_exc()))
    return log


def _told(refused: Exception) -> str:
    """The refusal's key; one that cannot say who saved ("?") is marked, so that a backstop
    message (a StaleDataError turned into words without a name) counts as generic."""
    values = getattr(refused, "values", {})
    unnamed = any(values.get(name) == "?" for name in ("by", "who"))
    return refused.key + (" (nobody named)" if unnamed else "")


def _as_loaded(setup: Setup, version: int) -> int | None:
    return version if setup.checked else None


def _blind(session: Any, task_id: int, version: int, setup: Setup) -> int:
    """The baseline's task save: whatever version is stored now (a save that checks nothing)."""
    from requests.models import Task

    return version if setup.checked else session.get(Task, task_id).version


def _task_status(database, setup, manager, signers, chance, n) -> tuple:
    from requests.models import Task
    from requests.tasks import change_task_status

    task_id = chance.choice(setup.tasks)
    with database.read() as session:
        task = session.get(Task, task_id)
        version, status = task.version, task.status
    target = chance.choice(
        {"open": ("in_progress", "done"), "in_progress": ("open", "done")}.get(status, ("open",))
    )
    with database.write() as session:
        change_task_status(
            session, manager, task_id, _blind(session, task_id, version, setup), target
        )
    return ("task", task_id, version, "status", target)


def _assignment(database, setup, manager, signers, chance, n) -> tuple:
    from requests.models import Task
    from requests.tasks import assign_task

    task_id = chance.choice(setup.tasks)
    with database.read() as session:
        task = session.get(Task, task_id)
        version, owner_now = task.version, task.owner_id
    owner = chance.choice([o for o in (None, *setup.managers) if o != owner_now])  # a change
    with database.write() as session:
        assign_task(session, manager, task_id, _blind(session, task_id, version, setup), owner)
    return ("task", task_id, version, "owner_id", owner)


def _catalogue(database, setup, manager, signers, chance, n) -> tuple:
    from requests.catalogue import CatalogueChange, save_catalogue_item
    from requests.models import CatalogueItem

    item_id = chance.choice(setup.catalogue)
    with database.read() as session:
        item = session.get(CatalogueItem, item_id)
        version = item.version
        change = CatalogueChange(
            code=item.code,
            label_fr=item.label_fr,
            label_en=f"{item.code} by {manager.name} #{n}",
            department=item.department,
            timing=item.timing,
            lead_minutes=item.lead_minutes,
            sensitive=item.sensitive,
            constrains_room=item.constrains_room,
            readiness_items=list(item.readiness_items),
            keywords=dict(item.keywords or {}),
            active=item.active,
        )
    with database.write() as session:
        save_catalogue_item(
            session, manager, setup.property_id, change, version=_as_loaded(setup, version)
        )
    return ("catalogue", item_id, version, "label_en", change.label_en)


def _shift(database, setup, manager, signers, chance, n) -> tuple:
    from core.shifts import update_shift
    from shift_briefing.models import Shift

    shift_id = chance.choice(setup.shifts)
    with database.read() as session:
        shift = session.get(Shift, shift_id)
        version, name, starts_now, ends = shift.version, shift.name, shift.starts_at, shift.ends_at
    starts = next(  # a change, and never an empty shift
        at
        for at in (time(chance.randrange(24), chance.choice((0, 15, 30, 45))) for _ in range(99))
        if at not in (ends, starts_now)
    )
    with database.write() as session:
        changed = update_shift(
            session,
            manager,
            setup.property_id,
            name,
            starts,
            ends,
            version=_as_loaded(setup, version),
        )
    if not changed:  # another worker set these very hours first: nothing to save, no version
        return None
    return ("shift", shift_id, version, "starts_at", starts.isoformat())


def _staff(database, setup, manager, signers, chance, n) -> tuple:
    from core.models import Staff
    from core.staff import set_roles

    person_id = chance.choice(setup.targets)
    with database.read() as session:
        version = session.get(Staff, person_id).version
    roles = sorted(chance.sample(TARGET_ROLES, chance.randrange(1, len(TARGET_ROLES) + 1)))
    with database.write() as session:
        set_roles(session, manager, person_id, roles, version=_as_loaded(setup, version))
    return ("staff", person_id, version, "roles", roles)


def _signature(database, setup, manager, signers, chance, n) -> tuple:
    from datetime import date

    from shift_briefing.briefing import build_briefing
    from shift_briefing.signing import sign_briefing

    signer = chance.choice(signers)
    with database.read() as session:
        briefing = build_briefing(
            session, signer, setup.property_id, date.fromisoformat(setup.day), "afternoon", "en"
        )
    with database.write() as session:
        sign_briefing(session, signer, briefing, briefing.version)
    return ("signature", signer.id, briefing.version)


def _setting(database, setup, manager, signers, chance, n) -> tuple:
    from core.scheduling import job_board, save_job_setting

    with database.read() as session:
        version = next(job.version for job in job_board(session, manager) if job.name == JOB)
    days = chance.randrange(31, 400)
    with database.write() as session:
        save_job_setting(
            session,
            manager,
            JOB,
            True,
            {"retention_days": days},
            version=_as_loaded(setup, version),
        )
    return ("job", JOB, version, "retention_days", days)


def _save_form(database, setup, manager, reservation_id, data, version, guest_version) -> None:
    """The reservation form's save, over the versions opened (the baseline: over whatever is
    stored now, as a save that checks nothing)."""
    from guests.models import Reservation
    from guests.reservations import update_reservation

    with database.write() as session:
        if not setup.checked:
            stored = session.get(Reservation, reservation_id)
            version, guest_version = stored.version, stored.guest.version
        update_reservation(
            session, manager, setup.property_id, reservation_id, data,
            version=version, guest_version=guest_version,
        )


def _reservation(database, setup, manager, signers, chance, n) -> tuple:
    """The reservation form's edit: the stay's number of adults, over the version opened."""
    from guests.models import Reservation
    from guests.reservations import reservation_input

    reservation_id = chance.choice(setup.reservations)
    with database.read() as session:
        reservation = session.get(Reservation, reservation_id)
        version, guest_version = reservation.version, reservation.guest.version
        data = reservation_input(reservation)
    data.adults = chance.choice([a for a in range(1, 6) if a != data.adults])  # a change
    _save_form(database, setup, manager, reservation_id, data, version, guest_version)
    return ("reservation", reservation_id, version, "adults", data.adults)


def _guest(database, setup, manager, signers, chance, n) -> tuple:
    """The same form editing the guest: their VIP level, over the guest's version opened."""
    from guests.models import Reservation
    from guests.reservations import reservation_input

    reservation_id = chance.choice(setup.reservations)
    with database.read() as session:
        reservation = session.get(Reservation, reservation_id)
        version, guest_id = reservation.version, reservation.guest_id
        guest_version = reservation.guest.version
        data = reservation_input(reservation)
    data.vip_level = chance.choice([v for v in range(4) if v != data.vip_level])  # a change
    _save_form(database, setup, manager, reservation_id, data, version, guest_version)
    return ("guest", guest_id, guest_version, "vip_level", data.vip_level)


OPERATION_BODIES = {
    "task_status": _task_status,
    "assignment": _assignment,
    "catalogue": _catalogue,
    "shift": _shift,
    "staff": _staff,
    "signature": _signature,
    "setting": _setting,
    "reservation": _reservation,
    "guest": _guest,
}


def run(url: str, processes: int = 4, operations: int = 300, *, checked: bool = True) -> Counts:
    """Prepares the hotel, runs the workers at once, and counts what the database holds.
    checked=False is the baseline: the same saves, made without the version they loaded."""
    setup = prepare(url, processes)
    setup.checked = checked
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(processes)
    results = context.Queue()
    workers = [
        context.Process(target=work, args=(setup, n, operations, start, results))
        for n in range(processes)
    ]
    began = timer.perf_counter()
    with _spawning():
        for process in workers:
            process.start()
    logs = dict(results.get(timeout=300) for _ in workers)  # bounded: a stuck worker fails
    for process in workers:
        process.join(timeout=60)
    counts = count(setup, [entry for n in sorted(logs) for entry in logs[n]], processes)
    counts.seconds = timer.perf_counter() - began
    return counts


def count(setup: Setup, log: list[tuple], processes: int) -> Counts:
    by_operation: dict[str, Counter] = defaultdict(Counter)
    errors = [detail for operation, outcome, detail in log if outcome == "error"]
    for operation, outcome, detail in log:
        by_operation[operation][f"refused: {detail}" if outcome == "refused" else outcome] += 1
    saves = [detail for _, outcome, detail in log if outcome == "saved"]
    lost_rows = _lost_row_updates(setup, [s for s in saves if s[0] != "signature"])
    lost = len(lost_rows) + _lost_signatures(setup, [s for s in saves if s[0] == "signature"])
    return Counts(
        processes=processes,
        operations=len(log),
        saved=len(saves),
        conflicts=sum(1 for _, outcome, _ in log if outcome == "refused"),
        lost_updates=lost,
        errors=len(errors),
        by_operation={k: by_operation[k] for k in sorted(by_operation)},
        error_samples=errors[:3],
        lost_samples=lost_rows[:5],
    )


def _lost_row_updates(setup: Setup, saves: list[tuple]) -> list[str]:
    """Per row: no two saves on one version, the version moved once per save, and the row
    holds the value of the last save."""
    from core.db import get_database
    from core.models import Staff
    from core.scheduling import JobSetting
    from guests.models import Guest, Reservation
    from requests.models import CatalogueItem, Task
    from shift_briefing.models import Shift

    rows: dict[str, list[tuple]] = defaultdict(list)
    for kind, row_id, version, name, value in saves:
        rows[f"{kind}:{row_id}"].append((version, name, value))
    final = versions(setup)
    models = {
        "task": Task,
        "catalogue": CatalogueItem,
        "shift": Shift,
        "staff": Staff,
        "reservation": Reservation,
        "guest": Guest,
    }
    lost: list[str] = []
    with get_database(setup.url).read() as session:
        for key, made in rows.items():
            on_version = Counter(version for version, _, _ in made)
            lost += [f"{key}: {n} saves on v{v}" for v, n in on_version.items() if n > 1]
            if final[key] != setup.initial[key] + len(made):
                lost.append(f"{key}: v{setup.initial[key]} + {len(made)} saves, now v{final[key]}")
            kind, row_id = key.split(":", 1)
            last = {}
            for _version, name, value in sorted(made, key=lambda m: m[0]):
                last[name] = value
            if kind == "job":
                stored = session.scalar(select(JobSetting).where(JobSetting.job == row_id))
                held = {"retention_days": stored.values.get("retention_days")}
            else:
                row = session.get(models[kind], int(row_id))
                held = {
                    name: getattr(row, name).isoformat()
                    if hasattr(getattr(row, name), "isoformat")
                    else getattr(row, name)
                    for name in last
                }
                if "roles" in held:
                    held["roles"] = sorted(held["roles"])
            lost += [
                f"{key}: holds {name}={held.get(name)!r}, last saved {value!r}"
                for name, value in last.items()
                if held.get(name) != value
            ]
    return lost


def _lost_signatures(setup: Setup, saves: list[tuple]) -> int:
    """Every signature reported as saved is in the database, once."""
    from core.db import get_database
    from shift_briefing.models import BriefingAcknowledgement

    with get_database(setup.url).read() as session:
        stored = session.scalar(
            select(func.count())
            .select_from(BriefingAcknowledgement)
            .where(BriefingAcknowledgement.property_id == setup.property_id)
        )
    reported = {(staff_id, version) for _, staff_id, version in saves}
    return abs(stored - len(saves)) + (len(saves) - len(reported))


# --- sign-in under attack -----------------------------------------------------------------------


@dataclass
class Attack:
    attackers: int
    attempts: int  # made in all
    checked: int  # wrong passwords really checked against the account's hash (the audit says)
    reasons: Counter  # what each attempt was told, by its real reason
    errors: list[str] = field(default_factory=list)


def attack(url: str, login: str, attackers: int = 8, attempts_each: int = 3) -> Attack:
    """`attackers` processes guess `login`'s password at the same moment, each from its own
    address, through the sign-in page's door (core.auth.sign_in)."""
    from core.db import get_database
    from core.models import AuditEvent, Staff

    context = multiprocessing.get_context("spawn")
    start = context.Barrier(attackers)
    results = context.Queue()
    workers = [
        context.Process(target=_guess, args=(url, login, n, attempts_each, start, results))
        for n in range(attackers)
    ]
    with _spawning():
        for process in workers:
            process.start()
    outcomes = [results.get(timeout=120) for _ in workers]
    for process in workers:
        process.join(timeout=30)
    reasons: Counter = Counter()
    errors = []
    for told in outcomes:
        for reason in told:
            if reason.startswith("error"):
                errors.append(reason)
            else:
                reasons[reason] += 1
    with get_database(url).read() as session:
        staff_id = session.scalar(select(Staff.id).where(Staff.login == login))
        checked = session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(
                AuditEvent.action == "login_failed",
                AuditEvent.entity_id == str(staff_id),
                AuditEvent.note.like("wrong password%"),
            )
        )
    return Attack(attackers, sum(reasons.values()) + len(errors), checked, reasons, errors)


def _guess(url: str, login: str, n: int, attempts: int, start: Any, results: Any) -> None:
    told = []
    try:
        from core.auth import sign_in
        from core.db import get_database

        database = get_database(url)
        start.wait()
        for guess in range(attempts):
            outcome = sign_in(database, login, f"guess-{n}-{guess}", f"10.0.0.{n + 1}")
            told.append(outcome.reason or "signed in")
    except Exception:
        told.append("error " + traceback.format_exc())
    results.put(told)
