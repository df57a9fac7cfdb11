"""The app's own server plus one static route, for bench_guest_page.py only.

`streamlit run benchmarks/guest_page_server.py` serves the staff app (streamlit_app.py) and the
guest routes exactly as `make run` does, and /bench-static: the file BENCH_STATIC_FILE, the
baseline "static page of the same size from the same server".
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import streamlit as st
from starlette.responses import FileResponse
from starlette.routing import Route

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from requests.guest_page import guest_routes


async def _static(_request):
    return FileResponse(os.environ["BENCH_STATIC_FILE"], media_type="text/html")


app = st.App(
    str(Path(__file__).resolve().parent.parent / "streamlit_app.py"),
    routes=[*guest_routes(), Route("/bench-static", _static)],
)
