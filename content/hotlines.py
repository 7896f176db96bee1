"""Tap-to-call: hotline and phone numbers in emergency content become ``tel:`` links.

Contract of ``hotlines_linkify(text)``:
- Plain text is escaped first; a ``SafeString`` (trusted HTML such as a rendered StreamField body)
  is taken as HTML. Either way the result is a ``SafeString``.
- Only text between tags is touched: never attributes, never text inside ``<a>`` (so running it twice,
  or on a body that already links a number, adds no second link), ``<script>``, ``<style>``, ``<textarea>``
  or ``<button>``; character references such as ``&#12345;`` are left alone.
- Linked: the national hotlines in ``HOTLINES`` (110, 119, 120, 12345 …), landlines with an area code and
  a separator (027-12345678, 0711-1234567), mobile numbers (13912345678) and 400 numbers (400-123-4567).
- Not linked: digits inside longer numbers (1200, 2026, 12345678), decimals and thousands (1.120, 1,120),
  codes (A110, 110B), ordinals (第120条) and quantities (120毫米, 110 km, 120次, 120元 — a unit follows).
"""

import re

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

# National short numbers people are told to call (service numbers of the MIIT 12xxx plan and the police).
HOTLINES = frozenset(
    {
        "110",  # 报警
        "119",  # 火警
        "120",  # 急救
        "122",  # 交通事故
        "96110",  # 反诈预警劝阻专线
        "12110",  # 短信报警
        "12119",  # 森林火警
        "12122",  # 高速公路报警救援
        "12315",  # 市场监管投诉举报
        "12320",  # 卫生健康
        "12333",  # 人力资源和社会保障
        "12345",  # 政务服务便民热线
        "12350",  # 安全生产举报
        "12355",  # 青少年服务
        "12356",  # 心理援助
        "12369",  # 环保举报
        "12379",  # 突发事件预警信息
        "12395",  # 水上遇险求救
    }
)

_UNITS = (
    "毫米|厘米|千米|公里|米|毫升|升|公斤|千克|克|斤|吨|平方|立方|亩|公顷|度|℃|°|%|％|‰|元|块|万|亿|千|百"
    "|人|名|户|个|条|次|家|所|座|辆|台|套|只|头|件|位|年|月|日|号|天|周|小时|分|秒|岁|级|层|楼|期|届|页|章|节|款|项"
    "|(?:mm|cm|km|kg|m)(?![A-Za-z])"
)
_NUMBER = re.compile(
    r"(?<![0-9A-Za-z_.\-+#])(?<!\d,)(?<!第)"
    r"(?P<number>"
    r"0\d{2,3}[-－ ]\d{7,8}"  # landline: area code, separator, 7–8 digits
    r"|400[- ]?\d{3}[- ]?\d{4}"
    r"|1[3-9]\d{9}"  # mobile
    r"|\d{3,5}"  # a short number; linked only if it is in HOTLINES
    r")"
    rf"(?![0-9A-Za-z_]|[.,]\d|\s*(?:{_UNITS}))"
)
# Tags (quoted attribute values may hold ">"), comments and character references: never text.
_MARKUP = re.compile(r"<!--.*?-->|<(?:[^>\"']|\"[^\"]*\"|'[^']*')*>|&#?\w+;", re.S)
_SKIP_TAG = re.compile(r"<(/?)(a|script|style|textarea|button)(?=[\s/>])", re.I)


def _link(match: re.Match) -> str:
    number = match.group("number")
    digits = re.sub(r"\D", "", number)
    if len(digits) <= 5 and digits not in HOTLINES:
        return number
    return format_html('<a class="tel" href="tel:{}">{}</a>', digits, number)


def hotlines_linkify(text) -> SafeString:
    """``text`` with hotline and phone numbers as ``tel:`` links (see the module contract)."""
    html = str(conditional_escape(text if text is not None else ""))
    out, skip_depth, pos = [], 0, 0
    for markup in _MARKUP.finditer(html):
        segment = html[pos : markup.start()]
        out.append(segment if skip_depth else _NUMBER.sub(_link, segment))
        token = markup.group(0)
        tag = _SKIP_TAG.match(token)
        if tag and not token.endswith("/>"):
            skip_depth = max(0, skip_depth - 1) if tag.group(1) else skip_depth + 1
        out.append(token)
        pos = markup.end()
    tail = html[pos:]
    out.append(tail if skip_depth else _NUMBER.sub(_link, tail))
    return mark_safe("".join(out))  # noqa: S308 - escaped above; only our own <a> tags are added
