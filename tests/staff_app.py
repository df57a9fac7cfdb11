"""The staff app as AppTest drives it (the page tests' entry script instead of streamlit_app.py).

AppTest has no public way to click a page of st.navigation built from callables, nor to read
which pages it offered. This script runs the real app and adds only that, with Streamlit's
public API: a test puts the url path the person clicks under CLICK in the session state, and
reads back under OFFERED the pages the navigation offered and under SHOWN the one it ran.
st.navigation is wrapped for the run only to note its arguments and answer; it runs as is.
"""

import runpy
from pathlib import Path

import streamlit as st

CLICK = "test_click_page"
OFFERED = "test_offered_pages"
SHOWN = "test_shown_page"

if __name__ == "__main__":  # the script AppTest runs; tests import only the names above
    clicked = st.session_state.pop(CLICK, None)
    if clicked is not None:  # what a click in the navigation does: a rerun on that page
        st.switch_page(st.Page(lambda: None, title=clicked, url_path=clicked))

    _navigation = st.navigation

    def _noting_navigation(pages, **options):
        listed = (
            [page for group in pages.values() for page in group]
            if isinstance(pages, dict)
            else list(pages)
        )
        paths = {id(page): page.url_path for page in listed}
        shown = _navigation(pages, **options)
        st.session_state[OFFERED] = sorted(paths.values())
        st.session_state[SHOWN] = paths.get(id(shown), shown.url_path)
        return shown

    st.navigation = _noting_navigation
    try:
        runpy.run_path(str(Path(__file__).parent.parent / "streamlit_app.py"), run_name="__main__")
    finally:
        st.navigation = _navigation
