"""The guest page: plain HTML rendered on the server, a route of the same server as the app.

GET /guest/{token} shows the stay and each wish with its promise; POST .../wishes takes the
guest's corrections, POST .../verdict their verdict after the stay. No JavaScript, no staff
login, no link to a staff page. A token that opens nothing (wrong, expired, revoked) gets the
same neutral 404; every address is rate-limited, and more so for tokens that open nothing.
The handlers read the body themselves with a size cap and run the services in a thread.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy.orm.exc import StaleDataError
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request as HttpRequest
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from core.db import Database
from core.errors import UserError
from core.lib import get_property
from core.settings import database_url
from core.startup import ready_database
from guests.guest_i18n import GUEST_LANGUAGES, gt, guest_language
from guests.guest_links import PAGE_PATH, reservation_for_token, token_hash
from requests.guest_corrections import MAX_TEXT, apply_guest_correction, may_correct
from requests.guest_security import (
    CSRF_COOKIE,
    bad_tokens_per_address,
    client_address,
    form_is_genuine,
    form_token,
    new_cookie,
    requests_per_address,
)
from requests.guest_view import GuestView, guest_view
from requests.verdicts import MAX_COMMENT, Answer, asked_wishes, save_verdict, verdict_open

MAX_BODY = 32 * 1024  # bytes of a form; the text itself is limited to MAX_TEXT characters
HEADERS = {
    "Cache-Control": "no-store",
    # The token is in the address: never pass it to another site. (no-referrer would make
    # browsers send "Origin: null" with the forms, which the CSRF check refuses.)
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "X-Robots-Tag": "noindex, nofollow",
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
}
_templates = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "guest_templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
_databases: dict[str, Database] = {}
_lock = threading.Lock()


def _database() -> Database:
    """The app's database, ready once per process (the staff script readies it too)."""
    url = database_url()
    with _lock:
        if url not in _databases:
            _databases[url] = ready_database(url)
        return _databases[url]


def _address(request: HttpRequest) -> str:
    peer = request.client.host if request.client else None
    return client_address(peer, request.headers.get("x-forwarded-for"))


def _render(name: str, status: int = 200, cookie: str | None = None, **values: Any) -> Response:
    lang = values["lang"]
    values.setdefault("t", lambda key, **v: gt(key, lang, **v))
    response = HTMLResponse(_templates.get_template(name).render(**values), status_code=status)
    response.headers.update(HEADERS)
    if cookie:
        response.set_cookie(
            CSRF_COOKIE,
            cookie,
            max_age=86400,
            path=PAGE_PATH,
            httponly=True,
            samesite="strict",
            secure=values.get("secure", False),
        )
    return response


def _browser_language(request: HttpRequest) -> str:
    for part in request.headers.get("accept-language", "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in GUEST_LANGUAGES:
            return code
    return "en"


def gone(request: HttpRequest, status: int = 404) -> Response:
    """The one page for any token that opens nothing: it says nothing about anyone."""
    lang = guest_language(request.query_params.get("lang") or _browser_language(request))
    prefix = "slow" if status == 429 else "gone"
    return _render(
        "gone.html",
        status,
        lang=lang,
        title=gt(f"{prefix}.title", lang),
        heading=gt(f"{prefix}.title", lang),
        text=gt(f"{prefix}.text", lang),
    )


@dataclass
class _Page:
    """What one request found, read in a worker thread."""

    view: GuestView | None = None
    may_correct: bool = False
    verdict: bool = False
    asked: list[dict[str, Any]] = field(default_factory=list)
    free: str = ""
    error: str | None = None
    error_values: dict[str, Any] = field(default_factory=dict)


def _read(token: str, wanted: str | None, action=None) -> _Page:
    database = _database()
    with database.write() if action is not None else database.read() as session:
        reservation = reservation_for_token(session, token, touch=action is not None)
        if reservation is None:
            return _Page()
        page = _Page()
        if action is not None:
            try:
                with session.begin_nested():
                    action(session, reservation.id)
            except UserError as problem:
                page.error, page.error_values = problem.key, problem.values
            except StaleDataError:  # staff saved the reservation at that very moment
                page.error, page.error_values = "form.busy", {}
            session.expire_all()
            reservation = reservation_for_token(session, token)
            assert reservation is not None
        hotel = get_property(session, reservation.property_id)
        language = guest_language(wanted or reservation.guest.language)
        page.view = guest_view(session, reservation, language)
        page.may_correct = may_correct(reservation, hotel)
        page.verdict = verdict_open(reservation, hotel)
        if page.verdict:
            from sqlalchemy import select

            from requests.guest_models import GuestVerdict

            given = {
                v.request_id: v
                for v in session.scalars(
                    select(GuestVerdict).where(GuestVerdict.reservation_id == reservation.id)
                )
            }
            labels = {w.request_id: w.label for w in page.view.wishes}
            for request in asked_wishes(session, reservation.id):
                answer = given.get(request.id)
                page.asked.append(
                    {
                        "id": request.id,
                        "label": labels.get(request.id, request.code),
                        "ready": answer.ready if answer else None,
                        "comment": answer.comment if answer else "",
                    }
                )
            page.free = given[None].comment if None in given else ""
        return page


def _secure(request: HttpRequest) -> bool:
    return request.url.scheme == "https" or request.headers.get("x-forwarded-proto") == "https"


def _show(
    request: HttpRequest,
    token: str,
    page: _Page,
    lang: str,
    *,
    status: int = 200,
    message: str | None = None,
    form: dict[str, Any] | None = None,
) -> Response:
    assert page.view is not None
    cookie = request.cookies.get(CSRF_COOKIE)
    fresh = None
    if not cookie or len(cookie) > 64:
        cookie = fresh = new_cookie()
    form = form or {}
    error = page.error is not None
    if error:
        message = gt(page.error or "", lang, **page.error_values)
    return _render(
        "page.html",
        400 if error and status == 200 else status,
        cookie=fresh,
        secure=_secure(request),
        lang=lang,
        languages=list(GUEST_LANGUAGES.items()),
        title=gt("page.title", lang, hotel=page.view.hotel),
        view=page.view,
        base=f"{PAGE_PATH}/{token}",
        csrf=form_token(cookie, token_hash(token)),
        may_correct=page.may_correct,
        verdict=page.verdict,
        asked=page.asked,
        free=form.get("free", page.free),
        text=form.get("text", ""),
        eta=form.get("eta", ""),
        removed=form.get("removed", set()),
        message=message,
        error=error,
        max_text=MAX_TEXT,
        max_comment=MAX_COMMENT,
    )


def _allowed(request: HttpRequest) -> bool:
    return requests_per_address.allow(_address(request))


async def guest_page(request: HttpRequest) -> Response:
    if not _allowed(request):
        return gone(request, 429)
    address = _address(request)
    if bad_tokens_per_address.blocked(address):
        return gone(request, 429)
    token = request.path_params["token"]
    wanted = request.query_params.get("lang")
    page = await run_in_threadpool(_read, token, wanted)
    if page.view is None:
        bad_tokens_per_address.allow(address)
        return gone(request)
    lang = page.view.language
    message = None
    if request.query_params.get("saved"):
        message = gt("form.thanks", lang)
    elif request.query_params.get("answered"):
        message = gt("verdict.thanks", lang)
    return _show(request, token, page, lang, message=message)


async def _form(request: HttpRequest) -> dict[str, list[str]] | None:
    """The form's fields, or None when the body is larger than MAX_BODY."""
    declared = request.headers.get("content-length")
    if declared and (not declared.isdigit() or int(declared) > MAX_BODY):
        return None
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            return None
    try:
        return parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True, max_num_fields=200)
    except ValueError:  # more fields than any form of ours has
        return None


def _same_origin(request: HttpRequest) -> bool:
    origin = request.headers.get("origin")
    if not origin or origin == "null":
        return origin is None
    return urlsplit(origin).netloc == request.headers.get("host", "")


async def _post(request: HttpRequest, kind: str) -> Response:
    if not _allowed(request):
        return gone(request, 429)
    address = _address(request)
    if bad_tokens_per_address.blocked(address):
        return gone(request, 429)
    token = request.path_params["token"]
    wanted = request.query_params.get("lang")
    fields = await _form(request)
    if fields is None:
        page = await run_in_threadpool(_read, token, wanted)
        if page.view is None:
            bad_tokens_per_address.allow(address)
            return gone(request)
        lang = page.view.language
        page.error, page.error_values = "form.too_long", {"limit": MAX_TEXT}
        return _show(request, token, page, lang, status=413)

    def one(name: str) -> str:
        return (fields.get(name) or [""])[0]

    genuine = _same_origin(request) and form_is_genuine(
        request.cookies.get(CSRF_COOKIE), one("csrf"), token_hash(token)
    )
    form: dict[str, Any] = {
        "text": one("text"),
        "eta": one("eta"),
        "free": one("free"),
        "removed": {int(v) for v in fields.get("remove", []) if v.isdigit()},
    }
    action = None
    if genuine and kind == "wishes":

        def action(session, reservation_id):
            apply_guest_correction(
                session,
                reservation_id,
                added_text=form["text"],
                removed_request_ids=form["removed"],
                eta=form["eta"],
            )

    elif genuine and kind == "verdict":
        answers = {}
        for name, values in fields.items():
            if name.startswith("ready_") and name[6:].isdigit():
                answers[int(name[6:])] = values[0]
        comments = {
            int(name[8:]): values[0]
            for name, values in fields.items()
            if name.startswith("comment_") and name[8:].isdigit()
        }

        def action(session, reservation_id):
            save_verdict(
                session,
                reservation_id,
                {
                    request_id: Answer(
                        {"yes": True, "no": False}.get(answers.get(request_id, "")),
                        comments.get(request_id, ""),
                    )
                    for request_id in set(answers) | set(comments)
                },
                form["free"],
            )

    page = await run_in_threadpool(_read, token, wanted, action)
    if page.view is None:
        bad_tokens_per_address.allow(address)
        return gone(request)
    lang = page.view.language
    if not genuine:
        page.error, page.error_values = "form.expired", {}
        return _show(request, token, page, lang, status=403, form=form)
    if page.error:
        return _show(request, token, page, lang, form=form)
    done = "saved" if kind == "wishes" else "answered"
    response = RedirectResponse(f"{PAGE_PATH}/{token}?lang={lang}&{done}=1", status_code=303)
    response.headers.update(HEADERS)
    return response


async def guest_wishes(request: HttpRequest) -> Response:
    return await _post(request, "wishes")


async def guest_verdict(request: HttpRequest) -> Response:
    return await _post(request, "verdict")


async def anything_else(request: HttpRequest) -> Response:
    if not _allowed(request):
        return gone(request, 429)
    return gone(request)


def guest_routes() -> list[BaseRoute]:
    """The routes to add to the app's server (streamlit_app.py) and to a reverse proxy."""
    return [
        Route(PAGE_PATH + "/{token}", guest_page, methods=["GET", "HEAD"]),
        Route(PAGE_PATH + "/{token}/wishes", guest_wishes, methods=["POST"]),
        Route(PAGE_PATH + "/{token}/verdict", guest_verdict, methods=["POST"]),
        Route(PAGE_PATH, anything_else, methods=["GET", "HEAD", "POST"]),
        Route(PAGE_PATH + "/{rest:path}", anything_else, methods=["GET", "HEAD", "POST"]),
    ]
