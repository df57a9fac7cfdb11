"""Python's cycle collector, paused while a large heap of objects without cycles is built
(a file read, a batch of wishes parsed): it would walk the growing heap again and again and
find nothing to free (a third of a file's reading time, a tenth of a batch's parsing)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def cycle_collection_paused() -> Iterator[None]:
    """No cycle collection inside; it runs again after, as before (if it ran before)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
