"""长辈模式 (elder mode) and 朗读 (read-aloud) in a real browser (Debian Chromium via Playwright), with
the content, server and axe-core of ``test_accessibility_browser``.

Elder mode is client-side only (``static/js/elder-mode-init.js``): the header button and
``?mode=elder`` / ``?mode=standard`` set ``<html class="elder">`` and remember it in localStorage; the
server never reads ``mode``, so such a request is answered from the page cache. Read-aloud
(``static/js/read-aloud.js``) is tested against a stubbed ``speechSynthesis`` with a zh-CN voice and
with none at all. Without Chromium, Playwright or axe-core: skipped locally, failed with ``CI=true``.
"""

import pytest
from django.core.cache import cache

from tests.content.test_accessibility_browser import (  # noqa: F401 (fixtures)
    BLOCKING,
    SMALL_TARGET_JS,
    _axe,
    _open,
    _report,
    axe_source,
    portal,
)
from tests.feeds.screens.browser import chromium, live_server_ctl  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

IS_ELDER = "() => document.documentElement.classList.contains('elder')"
PRESSED = "() => document.querySelector('[data-elder-toggle]').getAttribute('aria-pressed')"

# A speechSynthesis that records what it is asked, with one zh-CN voice (headless Chromium has none).
SPEECH_STUB = """(() => {
    const calls = [];
    window.__speech = calls;
    class Utterance { constructor(text) { this.text = text; this.lang = ""; } }
    const synth = {
        speaking: false, paused: false,
        getVoices: () => [{name: "Stub 中文", lang: "zh-CN", localService: true, default: true}],
        speak(u) { calls.push({op: "speak", text: u.text, lang: u.lang}); this.utterances = (this.utterances || []).concat([u]); },
        pause() { calls.push({op: "pause"}); },
        resume() { calls.push({op: "resume"}); },
        cancel() { calls.push({op: "cancel"}); },
        addEventListener() {},
    };
    Object.defineProperty(window, "speechSynthesis", {value: synth, configurable: true});
    window.SpeechSynthesisUtterance = Utterance;
})();"""
NO_SPEECH = "delete window.speechSynthesis; delete Window.prototype.speechSynthesis;"


def test_the_header_button_turns_elder_mode_on_and_off_and_it_is_remembered(chromium, portal):  # noqa: F811
    server, paths = portal
    context, page = _open(chromium, 390)
    try:
        page.goto(server.url + paths["home"], wait_until="load")
        assert page.evaluate(IS_ELDER) is False and page.evaluate(PRESSED) == "false"
        page.click("[data-elder-toggle]")
        assert page.evaluate(IS_ELDER) is True and page.evaluate(PRESSED) == "true"
        page.goto(server.url + paths["article"], wait_until="load")
        assert page.evaluate(IS_ELDER) is True and page.evaluate(PRESSED) == "true"
        assert page.evaluate("() => getComputedStyle(document.documentElement).fontSize") == "20px"
        page.click("[data-elder-toggle]")
        page.reload(wait_until="load")
        assert page.evaluate(IS_ELDER) is False and page.evaluate(PRESSED) == "false"
    finally:
        context.close()


def test_the_old_large_text_choice_carries_over(chromium, portal):  # noqa: F811
    server, paths = portal
    context, page = _open(chromium, 390)
    try:
        page.goto(server.url + paths["home"], wait_until="load")
        page.evaluate("() => { localStorage.clear(); localStorage.setItem('kepu-large-text', '1'); }")
        page.reload(wait_until="load")
        assert page.evaluate(IS_ELDER) is True
        assert page.evaluate(
            "() => [localStorage.getItem('kepu-elder'), localStorage.getItem('kepu-large-text')]"
        ) == [
            "1",
            None,
        ]
    finally:
        context.close()


def test_mode_in_the_url_sets_the_mode_remembers_it_and_shares_the_cached_page(chromium, portal, settings):  # noqa: F811
    server, paths = portal
    settings.PAGE_CACHE_ENABLED = True
    cache.clear()
    context, page = _open(chromium, 390)
    try:
        first = page.goto(server.url + "/?mode=elder&from=timeline", wait_until="load")
        assert page.evaluate(IS_ELDER) is True and page.evaluate(PRESSED) == "true"
        # Remembered, so the address drops `mode` (a reload after turning it off keeps it off).
        assert page.evaluate("location.pathname + location.search") == "/?from=timeline"
        again = page.goto(server.url + "/?mode=elder", wait_until="load")
        plain = page.goto(server.url + "/", wait_until="load")
        assert page.evaluate(IS_ELDER) is True  # remembered without the parameter
        # The server never reads `mode`: one cache entry answers all three.
        assert [r.headers.get("x-page-cache") for r in (first, again, plain)] == ["miss", "hit", "hit"]
        page.goto(server.url + paths["article"] + "?mode=standard", wait_until="load")
        assert page.evaluate(IS_ELDER) is False and page.evaluate(PRESSED) == "false"
        page.goto(server.url + paths["home"], wait_until="load")
        assert page.evaluate(IS_ELDER) is False
    finally:
        context.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_elder_mode_has_no_serious_axe_violation(chromium, portal, axe_source, width):  # noqa: F811
    server, paths = portal
    context, page = _open(chromium, width)
    try:
        failures = []
        for name, path in paths.items():  # every page type of the normal-mode run, 404 included
            page.goto(server.url + path + "?mode=elder", wait_until="load")
            assert page.evaluate(IS_ELDER) is True, name
            failures += [
                (f"{name} @{width}px elder", v) for v in _axe(page, axe_source) if v["impact"] in BLOCKING
            ]
        assert not failures, _report(failures)
    finally:
        context.close()


def test_in_elder_mode_controls_are_60px_and_there_is_no_horizontal_scroll_at_320px(chromium, portal):  # noqa: F811
    server, paths = portal
    context, page = _open(chromium, 390)
    narrow_context, narrow = _open(chromium, 320)
    try:
        small, overflow = [], {}
        for name in ("home", "article", "emergency-orange", "topic-index", "search-results"):
            page.goto(
                server.url + paths[name] + ("&" if "?" in paths[name] else "?") + "mode=elder",
                wait_until="load",
            )
            small += [f"{name}: {item}" for item in page.evaluate(SMALL_TARGET_JS, 60)]
            narrow.goto(
                server.url + paths[name] + ("&" if "?" in paths[name] else "?") + "mode=elder",
                wait_until="load",
            )
            overflow[name] = narrow.evaluate(
                "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
        assert not small, "controls under 60×60px in elder mode:\n" + "\n".join(small[:40])
        assert all(v <= 0 for v in overflow.values()), overflow
        # One column: the audience entrances stack.
        page.goto(server.url + paths["home"] + "?mode=elder", wait_until="load")
        lefts = page.evaluate(
            "() => [...document.querySelectorAll('.entrance')].map(e => e.getBoundingClientRect().left)"
        )
        assert len(lefts) == 5 and len(set(lefts)) == 1, lefts
    finally:
        narrow_context.close()
        context.close()


@pytest.mark.parametrize(
    "name,expected", [("article", "夏季防溺水安全指南"), ("emergency-orange", "暴雨orange预警测试")]
)
def test_read_aloud_speaks_zh_cn_and_pauses_and_stops(chromium, portal, name, expected):  # noqa: F811
    server, paths = portal
    context, page = _open(chromium, 390)
    context.add_init_script(SPEECH_STUB)
    page = context.new_page()
    try:
        page.goto(server.url + paths[name], wait_until="load")
        play, stop = page.locator("[data-read-aloud-play]"), page.locator("[data-read-aloud-stop]")
        assert play.is_visible() and play.is_enabled() and play.inner_text() == "朗读"
        assert not stop.is_visible()
        play.click()
        spoken = [c for c in page.evaluate("() => window.__speech") if c["op"] == "speak"]
        assert spoken and all(c["lang"] == "zh-CN" for c in spoken)
        assert expected in spoken[0]["text"]
        if name == "article":
            assert "结伴而行" in "".join(c["text"] for c in spoken)
        else:
            assert "现在该做什么" in "".join(c["text"] for c in spoken)
        assert play.inner_text() == "暂停" and stop.is_visible()
        play.click()
        assert page.evaluate("() => window.__speech.at(-1).op") == "pause" and play.inner_text() == "继续"
        play.click()
        assert page.evaluate("() => window.__speech.at(-1).op") == "resume" and play.inner_text() == "暂停"
        stop.click()
        assert page.evaluate("() => window.__speech.at(-1).op") == "cancel"
        assert play.inner_text() == "朗读" and not stop.is_visible()
        # Reading to the end puts the button back.
        play.click()
        page.evaluate("() => speechSynthesis.utterances.forEach(u => u.onend && u.onend())")
        assert play.inner_text() == "朗读"
    finally:
        context.close()


def test_without_speech_synthesis_the_button_says_so_and_is_disabled(chromium, portal):  # noqa: F811
    server, paths = portal
    context, page = _open(chromium, 390)
    context.add_init_script(NO_SPEECH)
    page = context.new_page()
    try:
        for name in ("article", "emergency-orange"):
            page.goto(server.url + paths[name], wait_until="load")
            assert page.evaluate("() => 'speechSynthesis' in window") is False
            play = page.locator("[data-read-aloud-play]")
            assert play.is_visible() and play.inner_text() == "本机不支持朗读" and play.is_disabled()
    finally:
        context.close()


def test_without_a_chinese_voice_the_button_says_so(chromium, portal):  # noqa: F811
    server, paths = portal
    context, page = _open(chromium, 390)
    context.add_init_script(SPEECH_STUB.replace('lang: "zh-CN"', 'lang: "en-US"'))
    page = context.new_page()
    try:
        page.goto(server.url + paths["article"], wait_until="load")
        play = page.locator("[data-read-aloud-play]")
        page.wait_for_function(
            "() => document.querySelector('[data-read-aloud-play]').textContent === '本机不支持朗读'"
        )
        assert play.is_disabled()
    finally:
        context.close()


def test_without_javascript_the_article_is_complete_and_no_read_aloud_button_shows(chromium, portal):  # noqa: F811
    server, paths = portal
    context = chromium.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(server.url + paths["article"], wait_until="load")
        assert not page.locator("[data-read-aloud-play]").is_visible()
        assert "结伴而行" in page.locator("main").inner_text()
    finally:
        context.close()
