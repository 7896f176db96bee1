"""The header search box's suggestions in a real browser (Debian Chromium via Playwright), with the
content, server and axe-core of ``test_accessibility_browser``.

The box is a WAI-ARIA 1.2 combobox over a listbox filled from ``/api/v1/search/suggest/``
(static/js/portal.js): arrow keys, Enter, Escape and a click or tap choose an option, which lands on
the search page for it. Without Chromium, Playwright or axe-core: skipped locally, failed with
``CI=true``.
"""

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.content.test_accessibility_browser import (  # noqa: F401 (fixtures)
    BLOCKING,
    _axe,
    _open,
    _report,
    axe_source,
    portal,
)
from tests.feeds.screens.browser import chromium, live_server_ctl  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

OPTION = "#search-suggestions:not([hidden]) [role=option]"
STATE = """() => {
    const box = document.getElementById('site-search');
    const active = box.getAttribute('aria-activedescendant');
    return {
        role: box.getAttribute('role'),
        expanded: box.getAttribute('aria-expanded'),
        controls: box.getAttribute('aria-controls'),
        active: active,
        selected: active ? document.getElementById(active).getAttribute('aria-selected') : null,
        listRole: document.getElementById('search-suggestions').getAttribute('role'),
        hidden: document.getElementById('search-suggestions').hidden,
    };
}"""
OPTION_SIZES = "() => [...document.querySelectorAll('#search-suggestions [role=option]')].map(o => o.getBoundingClientRect().height)"


def _type_and_wait(page, text):
    page.click("#site-search")
    page.keyboard.type(text)
    page.wait_for_selector(OPTION, timeout=5_000)
    return page.evaluate(f"() => [...document.querySelectorAll('{OPTION}')].map(o => o.textContent)")


def _query_of(url: str) -> str:
    return parse_qs(urlsplit(url).query)["q"][0]


def test_arrow_down_and_enter_search_for_the_suggestion(chromium, portal):  # noqa: F811
    server, paths = portal
    context, page = _open(chromium, 390)
    try:
        page.goto(server.url + paths["home"], wait_until="load")
        suggestions = _type_and_wait(page, "防")
        assert "夏季防溺水安全指南" in suggestions, suggestions
        state = page.evaluate(STATE)
        assert state["role"] == "combobox" and state["listRole"] == "listbox"
        assert state["expanded"] == "true" and state["controls"] == "search-suggestions"
        assert state["active"] is None  # nothing chosen until the reader moves
        assert min(page.evaluate(OPTION_SIZES)) >= 44

        page.keyboard.press("Escape")
        assert page.evaluate(STATE)["hidden"] is True and page.evaluate(STATE)["expanded"] == "false"
        assert page.evaluate("() => document.getElementById('site-search').value") == "防"

        page.keyboard.press("ArrowDown")  # reopens on the first option
        state = page.evaluate(STATE)
        assert state["expanded"] == "true" and state["active"] == "search-suggestions-0"
        assert state["selected"] == "true"
        page.keyboard.press("Enter")
        page.wait_for_url("**/search/?q=*", wait_until="load", timeout=10_000)
        assert urlsplit(page.url).path == "/search/"
        assert _query_of(page.url) == suggestions[0]
    finally:
        context.close()


def test_a_tap_on_a_suggestion_searches_for_it_in_elder_mode(chromium, portal):  # noqa: F811
    server, paths = portal
    context, page = _open(chromium, 390)
    try:
        page.goto(server.url + paths["home"] + "?mode=elder", wait_until="load")
        assert page.evaluate("() => document.documentElement.classList.contains('elder')")
        suggestions = _type_and_wait(page, "防溺")
        assert min(page.evaluate(OPTION_SIZES)) >= 60  # elder mode's larger targets
        page.click(f"{OPTION} >> nth=0")
        page.wait_for_url("**/search/?q=*", wait_until="load", timeout=10_000)
        assert _query_of(page.url) == suggestions[0]
    finally:
        context.close()


@pytest.mark.parametrize("mode", ["standard", "elder"])
def test_the_search_page_with_the_list_open_has_no_serious_axe_violation(chromium, portal, axe_source, mode):  # noqa: F811
    server, paths = portal
    context, page = _open(chromium, 390)
    try:
        page.goto(f"{server.url}{paths['search-results']}&mode={mode}", wait_until="load")
        page.fill("#site-search", "")
        _type_and_wait(page, "防")
        page.keyboard.press("ArrowDown")
        failures = [
            (f"search, list open, {mode}", v) for v in _axe(page, axe_source) if v["impact"] in BLOCKING
        ]
        assert not failures, _report(failures)
    finally:
        context.close()
