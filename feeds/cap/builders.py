"""CAP 1.2 documents and the Atom index of current alerts: pure functions, data in, bytes out.

Contract (docs/syndication.md): one emergency page is one series of CAP messages. The first
publication is an ``Alert``; each later publication while the series is open is an ``Update`` whose
``<references>`` lists every earlier message of the series as ``sender,identifier,sent``; an
unpublish (or delete) closes the series with a ``Cancel`` that references it the same way. Times
carry their offset (+08:00) and no fractions, as the CAP 1.2 schema's pattern requires.

Levels (突发事件应对法): 红/橙/黄/蓝 = 一/二/三/四级, mapped to CAP as in ``LEVEL_CAP``.
"""

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import datetime

from django.utils import feedgenerator, timezone
from django.utils.html import escape

from content.emergency import SEVERITIES
from content.warning import WHOLE_CITY, warning_name
from feeds.text import xml_text_clean

CAP_NS = "urn:oasis:names:tc:emergency:cap:1.2"
CAP_CONTENT_TYPE = "application/cap+xml; charset=utf-8"
LANGUAGE = "zh-CN"
ALERT, UPDATE, CANCEL = "Alert", "Update", "Cancel"

# Warning colour → (urgency, severity, certainty). Severity is fixed by the level; urgency and
# certainty follow how the level is defined (红/橙: act now, the event is occurring or imminent;
# 黄: expected within hours; 蓝: may happen, be prepared).
LEVEL_CAP = {
    "red": ("Immediate", "Extreme", "Observed"),
    "orange": ("Immediate", "Severe", "Likely"),
    "yellow": ("Expected", "Moderate", "Likely"),
    "blue": ("Future", "Minor", "Possible"),
}
HAZARD_CATEGORY = {
    "flood": "Met",
    "typhoon": "Met",
    "rainstorm": "Met",
    "heatwave": "Met",
    "cold_wave": "Met",
    "earthquake": "Geo",
    "geological": "Geo",
    "fire": "Fire",
    "epidemic": "Health",
    "chemical": "CBRNE",
}


@dataclass(frozen=True)
class CapInfo:
    """The <info> block of a message, in plain data (the page's warning at the time it was sent,
    ``content.warning``: ``services.cap_info_from_page``)."""

    hazard: str  # content.emergency hazard key
    severity: str  # blue / yellow / orange / red
    headline: str  # the page title
    description: str
    instruction: str
    web: str  # absolute URL of the page on the portal
    sender_name: str
    audience: str
    effective: datetime
    expires: datetime
    areas: tuple[str, ...] = ()
    event: str = ""  # the warning's name (暴雨橙色预警, EmergencyWarning.headline); "" in older messages


@dataclass(frozen=True)
class CapMessageData:
    identifier: str
    sender: str
    sent: datetime
    status: str  # Actual in production; Test/Exercise on staging (CAP_STATUS)
    msg_type: str  # Alert / Update / Cancel
    info: CapInfo
    references: tuple[str, ...] = field(default_factory=tuple)  # "sender,identifier,sent" each
    note: str = ""


def cap_time(moment: datetime) -> str:
    """A CAP dateTime: local time (+08:00), whole seconds, explicit offset."""
    return timezone.localtime(moment).replace(microsecond=0).isoformat()


def cap_reference(sender: str, identifier: str, sent: datetime) -> str:
    return f"{sender},{identifier},{cap_time(sent)}"


def cap_event(info: CapInfo) -> str:
    """暴雨橙色预警: the warning's name as recorded from ``content.warning``. Messages recorded
    before the name was part of the record are named from their keys, as they were announced."""
    return info.event or warning_name(info.hazard, info.severity)


def _sub(parent, tag: str, text=None, ns: str = CAP_NS):
    element = ET.SubElement(parent, f"{{{ns}}}{tag}")
    if text is not None:
        element.text = xml_text_clean(text)
    return element


def _info_element(parent, info: CapInfo, msg_type: str) -> None:
    urgency, severity, certainty = LEVEL_CAP.get(info.severity, ("Unknown", "Unknown", "Unknown"))
    level = SEVERITIES.get(info.severity)
    element = _sub(parent, "info")
    _sub(element, "language", LANGUAGE)
    _sub(element, "category", HAZARD_CATEGORY.get(info.hazard, "Other"))
    _sub(element, "event", cap_event(info))
    if msg_type == CANCEL:
        _sub(element, "responseType", "AllClear")
        urgency = "Past"
    _sub(element, "urgency", urgency)
    _sub(element, "severity", severity)
    _sub(element, "certainty", certainty)
    if info.audience:
        _sub(element, "audience", info.audience)
    code = _sub(element, "eventCode")
    _sub(code, "valueName", "kepu-hazard")
    _sub(code, "value", info.hazard)
    _sub(element, "effective", cap_time(info.effective))
    _sub(element, "onset", cap_time(info.effective))
    _sub(element, "expires", cap_time(info.expires))
    _sub(element, "senderName", info.sender_name)
    headline = f"【已解除】{info.headline}" if msg_type == CANCEL else info.headline
    _sub(element, "headline", headline)
    if info.description:
        _sub(element, "description", info.description)
    if info.instruction and msg_type != CANCEL:
        _sub(element, "instruction", info.instruction)
    if info.web:
        _sub(element, "web", info.web)
    if level is not None:
        parameter = _sub(element, "parameter")
        _sub(parameter, "valueName", "预警级别")
        _sub(parameter, "value", f"{level.label}（{level.level}）")
    for name in info.areas or (WHOLE_CITY,):
        area = _sub(element, "area")
        _sub(area, "areaDesc", name)


def cap_alert_build(message: CapMessageData) -> bytes:
    """One CAP 1.2 ``<alert>`` document (UTF-8, with XML declaration)."""
    root = ET.Element(f"{{{CAP_NS}}}alert")
    _sub(root, "identifier", message.identifier)
    _sub(root, "sender", message.sender)
    _sub(root, "sent", cap_time(message.sent))
    _sub(root, "status", message.status)
    _sub(root, "msgType", message.msg_type)
    _sub(root, "scope", "Public")
    if message.note:
        _sub(root, "note", message.note)
    if message.references:
        _sub(root, "references", " ".join(message.references))
    _info_element(root, message.info, message.msg_type)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True, default_namespace=CAP_NS)


@dataclass(frozen=True)
class CapIndexEntry:
    message: CapMessageData
    document_url: str  # absolute URL of the CAP document


class _CapIndexFeed(feedgenerator.Atom1Feed):
    """Atom 1.0 with the CAP essentials of each alert in the CAP namespace."""

    def root_attributes(self):
        return {**super().root_attributes(), "xmlns:cap": CAP_NS}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        handler.addQuickElement("link", "", {"rel": "related", "type": "text/html", "href": item["web"]})
        for name, value in item["cap"]:
            handler.addQuickElement(f"cap:{name}", value)


def cap_index_build(entries, *, title: str, self_url: str, home_url: str) -> bytes:
    """The Atom 1.0 index of current alerts: one entry per alert, linking its CAP document.

    Entries carry the CAP essentials (identifier, msgType, event, severity, effective, expires,
    areaDesc) in the CAP namespace so an aggregator can filter without fetching every document.
    """
    feed = _CapIndexFeed(
        title=title,
        link=home_url,
        description="",
        language=LANGUAGE,
        feed_url=self_url,
        feed_guid=self_url,
        author_name="科普鄂州",
    )
    for entry in entries:
        message, info = entry.message, entry.message.info
        severity = LEVEL_CAP.get(info.severity, ("", "Unknown"))[1]
        feed.add_item(
            title=xml_text_clean(info.headline),
            link=entry.document_url,
            description=xml_text_clean(escape(info.description or info.headline)),
            unique_id=entry.document_url,
            pubdate=timezone.localtime(message.sent),
            updateddate=timezone.localtime(message.sent),
            author_name=xml_text_clean(info.sender_name),
            categories=[severity],
            web=info.web or home_url,
            cap=[
                ("identifier", message.identifier),
                ("msgType", message.msg_type),
                ("event", cap_event(info)),
                ("severity", severity),
                ("effective", cap_time(info.effective)),
                ("expires", cap_time(info.expires)),
                ("areaDesc", xml_text_clean(" ".join(info.areas) or WHOLE_CITY)),
            ],
        )
    return feed.writeString("utf-8").encode("utf-8")
