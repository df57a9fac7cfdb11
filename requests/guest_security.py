"""What keeps the public guest page safe to put on the internet: a per-address rate limit and
a CSRF check on its forms (a cookie and a keyed hash of it and the link, both required).

The limiter is in the process's memory: behind one reverse proxy and one app process, which is
how the README deploys it, that is every request. The key for the CSRF hash comes from
HOTEL_SECRET_KEY, or else from a file in the data folder made once, readable by its owner only.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import os
import secrets
import threading
import time
from collections import deque
from functools import cache

from core.settings import DATA_DIR, env_int, env_str

CSRF_COOKIE = "guest_form"
_KEY_FILE = "guest_page.key"


class RateLimiter:
    """At most `limit` events per `window` seconds per address (a sliding window)."""

    def __init__(self, limit: int, window: float) -> None:
        self.limit = limit
        self.window = window
        self._events: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def allow(self, address: str) -> bool:
        moment = time.monotonic()
        with self._lock:
            if len(self._events) > 50_000:  # a flood of addresses: forget the quiet ones
                self._events = {
                    a: q for a, q in self._events.items() if q and q[-1] > moment - self.window
                }
            events = self._events.setdefault(address, deque())
            while events and events[0] <= moment - self.window:
                events.popleft()
            if len(events) >= self.limit:
                return False
            events.append(moment)
            return True

    def blocked(self, address: str) -> bool:
        """Over the limit now, without counting this look as an event."""
        moment = time.monotonic()
        with self._lock:
            events = self._events.get(address, ())
            return sum(1 for at in events if at > moment - self.window) >= self.limit

    def reset(self) -> None:
        with self._lock:
            self._events.clear()


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        ip = ipaddress.ip_address(text.strip().strip("[]"))
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
    return ip


def client_address(peer: str | None, forwarded_for: str | None) -> str:
    """Whom the rate limits count: the guest's address.

    Behind the reverse proxy on this machine (the README's one rule) the peer is loopback and
    the guest is the last address of X-Forwarded-For. uvicorn would read that header from
    127.0.0.1 and ::1 only, but Streamlit listens on a dual-stack socket where the proxy is
    ::ffff:127.0.0.1: without this, every guest shared one address, and one stranger guessing
    links locked them all out. From any other peer the header is ignored (anyone can write it).
    An IPv6 address counts by its /64, the block one subscriber holds."""
    ip = _ip(peer or "")
    if ip is None:
        return peer or "unknown"
    if ip.is_loopback and forwarded_for:
        ip = _ip(forwarded_for.rsplit(",", 1)[-1]) or ip
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


# Every request of an address, and the attempts with a token that opens nothing.
requests_per_address = RateLimiter(env_int("HOTEL_GUEST_REQUESTS_PER_MINUTE", 120), 60.0)
bad_tokens_per_address = RateLimiter(env_int("HOTEL_GUEST_BAD_TOKENS_PER_10_MINUTES", 10), 600.0)


@cache
def _key() -> bytes:
    configured = env_str("HOTEL_SECRET_KEY", "")
    if configured:
        return configured.encode()
    path = DATA_DIR / _KEY_FILE
    try:
        return path.read_bytes()
    except FileNotFoundError:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        value = secrets.token_bytes(32)
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process made it first
            return path.read_bytes()
        with os.fdopen(descriptor, "wb") as file:
            file.write(value)
        return value


def new_cookie() -> str:
    return secrets.token_urlsafe(24)


def form_token(cookie: str, link_hash: str) -> str:
    return hmac.new(_key(), f"{cookie}|{link_hash}".encode(), hashlib.sha256).hexdigest()


def form_is_genuine(cookie: str | None, sent: str | None, link_hash: str) -> bool:
    if not cookie or not sent:
        return False
    return hmac.compare_digest(form_token(cookie, link_hash), sent)
