"""The portal in a real browser (Debian Chromium via Playwright), checked for WCAG 2.1 A/AA with
axe-core (pinned in package.json, installed by ``make install-test``) and for readability by
computed style: every page type at a phone width (390 px) and a desktop width (1280 px).

Fails on any axe violation of impact "serious" or "critical". Without Chromium, Playwright or
``node_modules/axe-core`` the tests are skipped locally and fail under ``CI=true``.
"""

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from search.documents import search_document_sync
from tests.factories import ArticlePageFactory, EmergencyPageFactory, VideoPageFactory
from tests.feeds.screens.browser import chromium, live_server_ctl, unavailable  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

AXE_JS = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}
WIDTHS = {"phone": 390, "desktop": 1280}
COLOURS = ("blue", "yellow", "orange", "red")


@pytest.fixture
def portal(live_server_ctl, article_index, video_index, emergency_index):  # noqa: F811
    """Content of every kind, committed; returns the server and the paths to look at by name."""
    now = timezone.now()
    window = {"effective_from": now - dt.timedelta(hours=1), "expires_at": now + dt.timedelta(days=1)}
    with live_server_ctl.lock:
        pages = [
            ArticlePageFactory(
                parent=article_index,
                title="夏季防溺水安全指南",
                audiences=["youth", "elderly"],
                topics=["防溺水"],
                body=[
                    ("heading", {"text": "为什么要去正规场所", "level": "h2"}),
                    ("paragraph", "<p>夏天游泳要去<a href='/articles/'>正规场所</a>，结伴而行。</p>"),
                    ("callout", {"kind": "warning", "title": "安全提醒", "text": "<p>不要独自下水。</p>"}),
                    ("key_points", {"title": "划重点", "points": ["结伴而行", "去正规场所"]}),
                    (
                        "table",
                        {
                            "caption": "各年龄段的安全要点",
                            "table": {
                                "data": [
                                    ["年龄段", "是否可以独自游泳", "陪同要求", "推荐场所"],
                                    ["6岁以下", "不可以", "成人全程看护，伸手可及", "儿童戏水池"],
                                    ["6–12岁", "不可以", "成人陪同，视线不离开", "正规游泳馆"],
                                    ["12岁以上", "会游泳后可以", "结伴而行", "正规游泳场所"],
                                ],
                                "first_row_is_table_header": True,
                                "first_col_is_header": True,
                            },
                        },
                    ),
                ],
            ),
            ArticlePageFactory(
                parent=article_index, title="识破电信诈骗", audiences=["elderly"], topics=["防范电信诈骗"]
            ),
            VideoPageFactory(
                parent=video_index, title="心肺复苏三步走", audiences=["workers"], topics=["急救"]
            ),
        ]
        warnings = {
            colour: EmergencyPageFactory(
                parent=emergency_index,
                title=f"暴雨{colour}预警测试",
                severity=colour,
                audiences=["farmers"],
                topics=["防汛"],
                **window,
            )
            for colour in COLOURS
        }
        pages += warnings.values()
        for page in pages:
            search_document_sync(page.pk)
        paths = {
            "home": "/",
            "audience": "/audiences/elderly/",
            "topic-index": "/topics/",
            "topic": "/topics/防溺水/",
            "articles": article_index.url,
            "videos": video_index.url,
            "emergencies": emergency_index.url,
            "article": pages[0].url,
            "video": pages[2].url,
            **{f"emergency-{colour}": page.url for colour, page in warnings.items()},
            "search-results": "/search/?q=防溺水",
            "search-empty": "/search/?q=没有这样的内容xyz",
            "feeds": "/feeds/",
            "not-found": "/no-such-page/",
        }
    return live_server_ctl, paths


@pytest.fixture
def axe_source():
    if not AXE_JS.exists():
        unavailable(f"{AXE_JS} is missing: run `make install-test` (npm ci)")
    return AXE_JS.read_text()


def _open(chromium, width):  # noqa: F811
    context = chromium.new_context(
        viewport={"width": width, "height": 844 if width < 640 else 900},
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        reduced_motion="reduce",
        bypass_csp=True,  # lets the test inject axe; the CSP does not change what is rendered
    )
    return context, context.new_page()


def _axe(page, source) -> list[dict]:
    page.add_script_tag(content=source)
    return page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.map(n => n.target.join(" ")),
                summary: v.nodes[0] ? v.nodes[0].failureSummary : "",
            }));
        }""",
        AXE_TAGS,
    )


def _report(failures: list[tuple[str, dict]]) -> str:
    """One line per rule and target set, with the pages it was seen on."""
    grouped: dict[tuple, list[str]] = {}
    for where, v in failures:
        targets = ", ".join(v["targets"][:6]) + (
            f" … (+{len(v['targets']) - 6})" if len(v["targets"]) > 6 else ""
        )
        detail = v["summary"].splitlines()[-1].strip() if v["summary"] else ""
        grouped.setdefault((v["id"], v["impact"], targets, detail), []).append(where)
    lines = [f"{len(failures)} serious/critical axe violation(s):"]
    for (rule, impact, targets, detail), pages in grouped.items():
        lines.append(f"- {rule} [{impact}] on {', '.join(pages)}\n    targets: {targets}\n    {detail}")
    return "\n".join(lines)


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_every_page_type_has_no_serious_axe_violation(chromium, portal, axe_source, width):  # noqa: F811
    server, paths = portal
    context, page = _open(chromium, width)
    try:
        failures = []
        for name, path in paths.items():
            response = page.goto(server.url + path, wait_until="load")
            assert response.status == (404 if name == "not-found" else 200), (name, path, response.status)
            for violation in _axe(page, axe_source):
                if violation["impact"] in BLOCKING:
                    failures.append((f"{name} @{width}px", violation))
        assert not failures, _report(failures)
    finally:
        context.close()


# --- readable by default ---------------------------------------------------------------------

# Text a reader needs: everything visible except visually hidden helpers. Returns offenders.
SMALL_TEXT_JS = """(min) => {
    const out = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
        const node = walker.currentNode;
        if (!node.textContent.trim()) continue;
        const el = node.parentElement;
        if (el.closest(".visually-hidden, [aria-hidden=true], script, style, datalist")) continue;
        const rect = el.getBoundingClientRect();
        if (!rect.width || !rect.height) continue;
        const style = getComputedStyle(el);
        if (style.visibility === "hidden") continue;
        const size = parseFloat(style.fontSize);
        if (size < min) out.push(`${el.tagName.toLowerCase()}.${el.className} "${node.textContent.trim().slice(0, 20)}" ${size}px`);
    }
    return out;
}"""

# Controls: links and buttons that stand on their own (not links inside running text).
SMALL_TARGET_JS = """(min) => {
    const sel = ".site-nav a, .brand, .text-size-toggle, .search-form button, .search-form input, a.tag, "
        + ".topic-cloud a, .filter-chips a, .pagination a, .button, .emergency-alert, .emergency-more, "
        + ".entrance, .card-link, .section-links a, .site-footer a";
    return [...document.querySelectorAll(sel)].filter(el => {
        const r = el.getBoundingClientRect();
        return r.width && r.height && (r.width < min || r.height < min);
    }).map(el => `${el.tagName.toLowerCase()}.${el.className} "${el.textContent.trim().slice(0, 20)}" `
        + `${Math.round(el.getBoundingClientRect().width)}×${Math.round(el.getBoundingClientRect().height)}`);
}"""

READABLE_PAGES = (
    "home",
    "audience",
    "topic-index",
    "topic",
    "articles",
    "article",
    "video",
    "emergency-orange",
    "search-results",
    "feeds",
)


def test_on_a_phone_text_is_at_least_16px_and_controls_44px(chromium, portal):  # noqa: F811
    server, paths = portal
    context, page = _open(chromium, 390)
    try:
        small_text, small_targets = [], []
        for name in READABLE_PAGES:
            page.goto(server.url + paths[name], wait_until="load")
            small_text += [f"{name}: {item}" for item in page.evaluate(SMALL_TEXT_JS, 16)]
            small_targets += [f"{name}: {item}" for item in page.evaluate(SMALL_TARGET_JS, 44)]
        page.goto(server.url + paths["article"], wait_until="load")
        body_size = page.evaluate(
            "() => parseFloat(getComputedStyle(document.querySelector('.body p')).fontSize)"
        )
        assert not small_text, "text under 16px:\n" + "\n".join(small_text[:40])
        assert not small_targets, "controls under 44×44px:\n" + "\n".join(small_targets[:40])
        assert body_size >= 18, body_size
    finally:
        context.close()


def test_text_follows_the_browsers_font_size_setting(chromium, portal):  # noqa: F811
    """A reader who sets a larger default font in the browser gets larger text everywhere: the root
    size is relative (the same setting Chromium's "Font size" changes, set through DevTools)."""
    server, paths = portal
    context, page = _open(chromium, 390)
    try:
        sizes = """() => ['html', '.body p', '.badge', '.site-nav a'].map(
            s => parseFloat(getComputedStyle(document.querySelector(s)).fontSize))"""
        page.goto(server.url + paths["article"], wait_until="load")
        default = page.evaluate(sizes)
        cdp = context.new_cdp_session(page._target)  # the Playwright page behind the bridge
        cdp.send("Page.setFontSizes", {"fontSizes": {"standard": 24, "fixed": 20}})
        page.reload(wait_until="load")
        larger = page.evaluate(sizes)
        assert default[0] == 16
        assert larger == [size * 1.5 for size in default], (default, larger)
    finally:
        context.close()


@pytest.mark.parametrize(
    "name", ["home", "article", "emergency-orange", "search-results", "topic-index", "not-found"]
)
def test_no_horizontal_scroll_at_320px_and_the_nav_shows_every_item(chromium, portal, name):  # noqa: F811
    server, paths = portal
    context, page = _open(chromium, 320)
    try:
        page.goto(server.url + paths[name], wait_until="load")
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{name}: {overflow}px of horizontal scroll at 320px"
        hidden = page.evaluate(
            """() => [...document.querySelectorAll('.site-nav a')].filter(a => {
                const r = a.getBoundingClientRect(), nav = a.parentElement.getBoundingClientRect();
                return r.right > nav.right + 1 || r.left < nav.left - 1;
            }).map(a => a.textContent)"""
        )
        assert hidden == [], f"nav items cut off at 320px: {hidden}"
    finally:
        context.close()


FOCUS_JS = """() => {
    const sel = [".skip-link", ".brand", ".text-size-toggle", ".site-nav a", "#site-search", ".search-form button",
                 ".emergency-alert", ".entrance", ".card-link", ".site-footer a"];
    const out = [];
    for (const s of sel) {
        const el = document.querySelector(s);
        if (!el) { out.push(`${s}: missing`); continue; }
        el.focus();
        // A card's link is clipped by the card (overflow: hidden): the card itself must show the ring.
        const ringed = s === ".card-link" ? el.closest(".card") : el;
        const style = getComputedStyle(ringed);
        if (!el.matches(":focus-visible") || style.outlineStyle === "none" || parseFloat(style.outlineWidth) < 3)
            out.push(`${s}: outline ${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}`);
        el.blur();
    }
    return out;
}"""


def test_keyboard_focus_is_visible_on_every_kind_of_control_cards_included(chromium, portal):  # noqa: F811
    server, paths = portal
    context, page = _open(chromium, 390)
    try:
        page.goto(server.url + paths["home"], wait_until="load")
        page.keyboard.press("Tab")  # keyboard modality, as a keyboard user arrives
        assert page.evaluate("() => document.activeElement.className") == "skip-link"
        assert page.evaluate(FOCUS_JS) == []
    finally:
        context.close()


def test_a_wide_table_scrolls_in_its_own_focusable_region_on_a_phone(chromium, portal):  # noqa: F811
    server, paths = portal
    context, page = _open(chromium, 320)
    try:
        page.goto(server.url + paths["article"], wait_until="load")
        page.keyboard.press("Tab")  # keyboard modality
        state = page.evaluate(
            """() => {
                const region = document.querySelector('.body .table-scroll');
                region.focus();
                const style = getComputedStyle(region);
                return {
                    page_overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
                    scrolls: region.scrollWidth > region.clientWidth,
                    name: region.getAttribute('aria-label'),
                    focused: document.activeElement === region && region.matches(':focus-visible'),
                    outline: parseFloat(style.outlineWidth),
                };
            }"""
        )
        assert state["page_overflow"] <= 0 and state["scrolls"], state
        assert state["name"] == "各年龄段的安全要点" and state["focused"] and state["outline"] >= 3, state
    finally:
        context.close()
