"""core.ui.action(): a refusal is read and leaves no ghost in the widget; a success reruns and
its message survives the rerun until the person's next action (AppTest, in-process)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.conftest import assert_no_error


def _page() -> None:
    """A checkbox showing a stored flag (kept in the session for this test), a form, a button."""
    import streamlit as st

    from core import ui
    from core.db import get_database
    from core.errors import UserError

    database = get_database()

    def body() -> None:
        stored = st.session_state.setdefault("stored", False)
        ui.show_flashes("box")
        ticked = st.checkbox("inspected", value=stored, key=ui.widget_key("box", stored))
        if ticked != stored:
            with ui.action(database, reset=["box"], place="box", done="tick saved") as session:
                session.connection()  # a real write transaction
                if st.session_state.get("refuse"):
                    raise UserError("room.error_inspect_before_clean", room="303")
                st.session_state["stored"] = ticked
        with st.form("name"):
            st.text_input("name", key="typed")
            sent = st.form_submit_button("save")
        if sent:
            with ui.action(database, done="name saved"):
                raise UserError("room.error_inspect_before_clean", room="303")
        if st.button("other"):
            st.session_state["runs_after_other"] = True

    ui.run_page(body)


def _app() -> AppTest:
    app = AppTest.from_function(_page, default_timeout=30)
    app.session_state["lang"] = "en"
    return app.run()


def _button(app: AppTest, label: str):
    [button] = [b for b in app.button if b.label == label]
    return button


REFUSAL = "Inspect after cleaning: room 303 is not clean yet."


def test_a_refused_tick_says_why_and_the_box_shows_what_is_stored(database_url):
    app = _app()
    app.session_state["refuse"] = True
    app.checkbox[0].check().run()
    assert_no_error(app)
    assert [e.value for e in app.error] == [REFUSAL]
    assert app.checkbox[0].value is False  # the widget was rebuilt from the stored value
    assert app.session_state["stored"] is False
    # The next action (another button) neither shows the old refusal nor sends the old tick.
    app.session_state["refuse"] = False
    _button(app, "other").click().run()
    assert not app.error and app.checkbox[0].value is False
    assert app.session_state["stored"] is False


def test_a_saved_tick_reruns_and_its_message_stays_until_the_next_action(database_url):
    app = _app()
    app.checkbox[0].check().run()
    assert_no_error(app)
    assert app.session_state["stored"] is True and app.checkbox[0].value is True
    assert [s.value for s in app.success] == ["tick saved"]
    _button(app, "other").click().run()
    assert not app.success


def test_a_refused_form_shows_why_in_place_and_keeps_what_was_typed(database_url):
    app = _app()
    app.text_input(key="typed").input("Anna")
    _button(app, "save").click().run()
    assert_no_error(app)
    assert [e.value for e in app.error] == [REFUSAL] and not app.success
    assert app.text_input(key="typed").value == "Anna"


def _callback_page() -> None:
    """A button whose write runs in its callback (ui.on_action), and a count of script runs."""
    import streamlit as st

    from core import ui
    from core.db import get_database
    from core.errors import UserError

    database = get_database()
    if ui.session_guard() is None:
        ui.sign_in(st.session_state["who"])
        st.session_state["lang"] = "en"  # whatever the staff member's own language
    st.session_state["runs"] = st.session_state.get("runs", 0) + 1

    def write(session, me) -> None:
        session.connection()  # a real write transaction
        if st.session_state.get("refuse"):
            raise UserError("room.error_inspect_before_clean", room="303")
        st.session_state["written_by"] = me.login

    def body() -> None:
        st.button("save", on_click=ui.on_action(database, write, done="saved"))

    ui.run_page(body)


def _callback_app(actor) -> AppTest:
    app = AppTest.from_function(_callback_page, default_timeout=30)
    app.session_state["lang"] = "en"
    app.session_state["who"] = actor
    return app.run()


def test_a_callback_action_writes_as_the_signed_in_actor_in_one_script_run(database_url, maria):
    app = _callback_app(maria)
    runs = app.session_state["runs"]
    _button(app, "save").click().run()
    assert not app.exception, app.exception
    assert app.session_state["written_by"] == "maria"
    assert [s.value for s in app.success] == ["saved"]
    assert app.session_state["runs"] == runs + 1  # no second run after the write


def test_a_refused_callback_action_says_why_and_writes_nothing(database_url, maria):
    app = _callback_app(maria)
    app.session_state["refuse"] = True
    _button(app, "save").click().run()
    assert [e.value for e in app.error] == [REFUSAL] and not app.success
    assert "written_by" not in app.session_state


def test_a_callback_action_of_an_ended_session_writes_nothing(database_url, maria):
    app = _callback_app(maria)
    app.session_state["session_guard"].end()  # signed out elsewhere (another tab, an admin)
    _button(app, "save").click().run()
    assert "written_by" not in app.session_state
