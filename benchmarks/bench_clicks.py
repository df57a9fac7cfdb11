"""Clicks in a real browser on the demo: from the click to the end of the app's run.

Starts the real server (`streamlit run`, as tests/e2e do) on a new demo database and a bare
page of one st.checkbox on another port, drives /usr/bin/chromium with Playwright, and times
each click five times (median): a tick on the housekeeping board, a task status change,
opening an arrival card, a check-in refused, and the navigation to each page of the front
desk, housekeeping, reservations and manager. Target: every click under 200 ms.

The times are read in the page, not by Python polling: a script injected before the app loads
notes the time of each click and of each message on Streamlit's WebSocket. A click's time is
from the click to the arrival of the message saying the app's run finished (a full run or a
fragment's), and the run that st.rerun() ends early is not the end. "server" is the part of it
from the browser's request to that message. Each figure is also given as a ratio to the click
on the bare page's checkbox, measured in the same run.

    .venv/bin/python benchmarks/bench_clicks.py
"""

from __future__ import annotations

import base64
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402

from core.i18n import t  # noqa: E402
from shift_briefing.readiness import standard_items  # noqa: E402
from tests.e2e.conftest import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    _answers,
    _free_port,
    running_server,
)

REPEATS = 5
FR = "fr"
FINAL = {
    ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY,
    ForwardMsg.ScriptFinishedStatus.FINISHED_FRAGMENT_RUN_SUCCESSFULLY,
    ForwardMsg.ScriptFinishedStatus.FINISHED_WITH_COMPILE_ERROR,
}

# Notes, in the page's own clock, every click and every WebSocket message (the small ones
# whole: the end of a run is a message of a few bytes).
RECORDER = """
(() => {
  window.__clicks = [];
  window.__sent = [];
  window.__received = [];
  document.addEventListener("pointerdown", () => window.__clicks.push(performance.now()), true);
  document.addEventListener("keydown", () => window.__clicks.push(performance.now()), true);
  const Native = window.WebSocket;
  const b64 = (buffer) => {
    let text = "";
    const bytes = new Uint8Array(buffer);
    for (let i = 0; i < bytes.length; i++) text += String.fromCharCode(bytes[i]);
    return btoa(text);
  };
  class Recorded extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", (event) => {
        const at = performance.now();
        const data = event.data;
        if (data instanceof ArrayBuffer && data.byteLength < 400) {
          window.__received.push([at, b64(data)]);
        }
      });
    }
    send(data) {
      window.__sent.push(performance.now());
      return super.send(data);
    }
  }
  window.WebSocket = Recorded;
})();
"""

BARE_PAGE = 'import streamlit as st\n\nst.checkbox("Tick me", key="tick")\n'


def _finished_at(page, clicked: float) -> float | None:
    """When the last run the click started finished (page clock), or None while it runs."""
    for at, data in page.evaluate("window.__received"):
        if at < clicked:
            continue
        message = ForwardMsg()
        message.ParseFromString(base64.b64decode(data))
        if message.WhichOneof("type") == "script_finished" and message.script_finished in FINAL:
            return at
    return None


def timed_click(page, click: Callable[[], None], timeout: float = 30.0) -> tuple[float, float]:
    """(ms from the click to the end of its run, ms of that on the server's side)."""
    page.evaluate("window.__clicks = []; window.__sent = []; window.__received = []")
    click()
    deadline = time.monotonic() + timeout
    quiet = time.monotonic() + 2
    while True:
        clicks = page.evaluate("window.__clicks")
        if clicks:
            finished = _finished_at(page, clicks[0])
            if finished is not None:
                break
            if not page.evaluate("window.__sent.length") and time.monotonic() > quiet:
                return 0.0, 0.0  # the browser alone answered: no run on the server
        if time.monotonic() > deadline:
            raise TimeoutError("the click's run did not finish")
        page.wait_for_timeout(10)
    sent = [at for at in page.evaluate("window.__sent") if clicks[0] <= at <= finished]
    page.wait_for_timeout(300)  # the page settles before the next click
    return finished - clicks[0], finished - (sent[-1] if sent else clicks[0])


def median_click(page, click: Callable[[], None], between: Callable[[], None] | None = None):
    """Median over REPEATS of (browser ms, server ms); `between` undoes or moves on."""
    timings = []
    for _ in range(REPEATS):
        timings.append(timed_click(page, click))
        if between is not None:
            between()
    return (
        statistics.median(b for b, _ in timings),
        statistics.median(s for _, s in timings),
    )


def settle(page, click: Callable[[], None]) -> None:
    """A click that is not measured, waited for all the same."""
    timed_click(page, click)


def _bare_server(folder: Path):
    script = folder / "bare.py"
    script.write_text(BARE_PAGE)
    port = _free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(script),
            "--server.port",
            str(port),
            "--server.headless",
            "true",
            "--server.address",
            "127.0.0.1",
        ],
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while not _answers(f"{base}/_stcore/health"):
        if time.monotonic() > deadline:
            process.kill()
            raise RuntimeError("the bare page's server did not start")
        time.sleep(0.2)
    return process, base


def _sign_in(page, base: str, login: str, password: str) -> None:
    """Signs in on a new session (the sign-in page reads French until someone signs in)."""
    page.goto(base)
    # The server's first visit seeds the demo hotel: on a busy machine, a minute or more.
    page.get_by_label(t("login.login", FR)).wait_for(timeout=180_000)
    page.get_by_label(t("login.login", FR)).fill(login)
    page.get_by_label(t("login.password", FR)).fill(password)
    settle(page, lambda: page.get_by_role("button", name=t("login.submit", FR)).click())
    page.locator('[data-testid="stSidebarNavLink"]').first.wait_for()


def _nav(page, title: str):
    return page.locator('[data-testid="stSidebarNavLink"]', has_text=title)


class Results(list):
    """Printed as they come (the first is the baseline): a run stopped halfway says its part."""

    def append(self, result: tuple[str, float, float]) -> None:
        if not self:
            print(f"clicks in chromium on the demo, median of {REPEATS}; target < 200 ms")
            print(f"{'click':58} {'browser':>9} {'server':>8} {'ratio':>6}")
        super().append(result)
        name, browser_ms, server_ms = result
        if not browser_ms:
            print(f"{name:58} no server run: the browser alone answers", flush=True)
            return
        ratio = browser_ms / self[0][1]
        print(f"{name:58} {browser_ms:7.0f}ms {server_ms:6.0f}ms {ratio:5.1f}x", flush=True)


def main() -> None:
    from playwright.sync_api import sync_playwright

    folder = Path(tempfile.mkdtemp(prefix="bench_clicks_"))
    results = Results()
    bare_process, bare = _bare_server(folder)
    try:
        with running_server(folder) as base, sync_playwright() as playwright:
            signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # stopped: servers too
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            context.add_init_script(RECORDER)
            page = context.new_page()
            page.set_default_timeout(30_000)

            page.goto(bare)
            box = page.get_by_text("Tick me")
            box.wait_for()
            settle(page, box.click)
            baseline = median_click(page, box.click)
            results.append(("baseline: bare page, one st.checkbox", *baseline))

            # Housekeeping: a tick on the board (each click undoes the one before).
            _sign_in(page, base, "housekeeping", "demo-housekeeping")
            page.get_by_role("heading", name=t("housekeeping.title", FR)).wait_for()
            card = (
                page.locator('[class*="st-key-board_room_"]')
                .filter(has=page.locator('input[type="checkbox"]:not([disabled])'))
                .first
            )
            cleaned = standard_items(None)[0].label(FR)
            results.append(
                (
                    "housekeeping: tick a room's box",
                    *median_click(page, lambda: card.get_by_text(cleaned).click()),
                )
            )
            # Tasks: a status change (in progress, then back to open).
            settle(page, lambda: _nav(page, t("nav.tasks", FR)).click())
            move = page.locator(
                '[class*="st-key-task_"][class*="_in_progress"] button, '
                '[class*="st-key-task_"][class*="_open"] button'
            ).first
            results.append(("tasks: change a task's status", *median_click(page, move.click)))
            for title_key in ("nav.housekeeping", "nav.tasks", "inbox.nav"):
                results.append(_navigation(page, "housekeeping", title_key))

            # Front desk: open an arrival card, a check-in refused, every page.
            _sign_in(page, base, "reception", "demo-reception")
            settle(page, lambda: _nav(page, t("nav.arrivals", FR)).click())
            title = page.locator('[data-testid="stExpander"] summary').first
            results.append(
                (
                    "arrivals: open an arrival card",
                    *median_click(page, title.click, between=lambda: settle(page, title.click)),
                )
            )
            reviewed = t("checkin.reviewed", FR)
            cards = page.locator('[data-testid="stExpander"]')
            for index in range(cards.count()):
                candidate = cards.nth(index)
                settle(page, candidate.locator("summary").click)
                if candidate.get_by_text(reviewed).count():
                    break
                settle(page, candidate.locator("summary").click)
            submit = candidate.get_by_role("button", name=t("checkin.submit", FR), exact=True)
            results.append(
                (
                    "arrivals: check-in refused (wishes not reviewed)",
                    *median_click(page, submit.click),
                )
            )
            for title_key in (
                "nav.arrivals",
                "nav.briefing",
                "nav.tasks",
                "archive.nav",
                "guest_ui.nav",
                "inbox.nav",
            ):
                results.append(_navigation(page, "reception", title_key))

            _sign_in(page, base, "reservations", "demo-reservations")
            for title_key in ("nav.reservations", "nav.reservation", "nav.import", "inbox.nav"):
                results.append(_navigation(page, "reservations", title_key))

            _sign_in(page, base, "manager", "demo-manager")
            for title_key in (
                "nav.dashboard",
                "nav.briefing",
                "nav.catalogue",
                "nav.shifts",
                "nav.staff",
                "nav.audit",
                "jobs.nav",
                "nav.tasks",
                "nav.import",
                "archive.nav",
                "guest_ui.nav",
                "inbox.nav",
            ):
                results.append(_navigation(page, "manager", title_key, "en"))
            browser.close()
    finally:
        bare_process.terminate()
        bare_process.wait(timeout=10)


def _navigation(page, who: str, title_key: str, language: str = FR):
    """To a page from another (the first of the person's pages, or the second)."""
    title = t(title_key, language)
    links = page.locator('[data-testid="stSidebarNavLink"]')
    away = links.nth(0)
    if away.inner_text().strip().startswith(title):
        away = links.nth(1)
    target = _nav(page, title).first
    settle(page, away.click)
    timing = median_click(page, target.click, between=lambda: settle(page, away.click))
    return (f"{who}: go to {title}", *timing)


if __name__ == "__main__":
    main()
