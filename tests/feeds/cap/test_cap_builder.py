"""The pure CAP builder: schema-valid, the level mapping, escaping, and a golden document."""

import datetime as dt
from dataclasses import replace
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from feeds.cap.builders import CapInfo, CapMessageData, cap_alert_build

from .conftest import cap_parse, cap_text

GOLDEN = Path(__file__).parent / "golden"
BEIJING = ZoneInfo("Asia/Shanghai")


def _message(**overrides) -> CapMessageData:
    info = CapInfo(
        hazard="rainstorm",
        severity="orange",
        headline="鄂州市气象台发布暴雨橙色预警",
        description="预计未来6小时鄂城区、华容区降雨量将达50毫米以上。",
        instruction="1. 尽量减少外出\n2. 远离低洼地带",
        web="https://kepu.ezhou.gov.cn/emergency/rainstorm-orange/",
        sender_name="鄂州市应急管理局",
        audience="老年人、农民",
        effective=dt.datetime(2026, 7, 1, 8, 0, tzinfo=BEIJING),
        expires=dt.datetime(2026, 7, 2, 8, 0, tzinfo=BEIJING),
        areas=("鄂州市鄂城区", "鄂州市华容区"),
        event="暴雨橙色预警",
    )
    fields = {
        "identifier": "KPEZ-20260701075930-42-1",
        "sender": "kepu.ezhou.gov.cn",
        "sent": dt.datetime(2026, 7, 1, 7, 59, 30, 123456, tzinfo=BEIJING),
        "status": "Actual",
        "msg_type": "Alert",
        "info": info,
    }
    fields.update(overrides)
    return CapMessageData(**fields)


def test_alert_matches_the_golden_document(cap_schema):
    body = cap_alert_build(_message())
    cap_parse(body, cap_schema)
    assert body.decode("utf-8") == (GOLDEN / "alert.xml").read_text(encoding="utf-8").rstrip("\n")


def test_a_message_recorded_before_the_event_name_was_kept_renders_as_announced(cap_schema):
    legacy = replace(_message().info, event="")  # older records carry hazard and level keys only
    body = cap_alert_build(_message(info=legacy))
    assert body == cap_alert_build(_message())
    assert cap_text(cap_parse(body, cap_schema), "cap:info/cap:event") == "暴雨橙色预警"


@pytest.mark.parametrize(
    "severity,expected",
    [
        ("red", ("Immediate", "Extreme", "Observed")),
        ("orange", ("Immediate", "Severe", "Likely")),
        ("yellow", ("Expected", "Moderate", "Likely")),
        ("blue", ("Future", "Minor", "Possible")),
    ],
)
def test_the_four_colour_levels_map_to_cap(cap_schema, severity, expected):
    info = replace(_message().info, severity=severity)
    document = cap_parse(cap_alert_build(_message(info=info)), cap_schema)
    got = tuple(cap_text(document, f"cap:info/cap:{name}") for name in ("urgency", "severity", "certainty"))
    assert got == expected


def test_times_have_offsets_and_whole_seconds(cap_schema):
    utc_sent = dt.datetime(2026, 7, 1, 0, 0, 5, 999, tzinfo=dt.UTC)
    document = cap_parse(cap_alert_build(_message(sent=utc_sent)), cap_schema)
    assert cap_text(document, "cap:sent") == "2026-07-01T08:00:05+08:00"
    assert cap_text(document, "cap:info/cap:expires") == "2026-07-02T08:00:00+08:00"


def test_update_and_cancel_carry_references_and_stay_valid(cap_schema):
    refs = ("kepu.ezhou.gov.cn,KPEZ-1-42-1,2026-07-01T07:59:30+08:00",)
    update = cap_parse(cap_alert_build(_message(msg_type="Update", references=refs)), cap_schema)
    assert cap_text(update, "cap:references") == refs[0]
    cancel = cap_parse(
        cap_alert_build(_message(msg_type="Cancel", references=refs, note="预警已解除")), cap_schema
    )
    assert cap_text(cancel, "cap:msgType") == "Cancel"
    assert cap_text(cancel, "cap:info/cap:responseType") == "AllClear"
    assert cap_text(cancel, "cap:info/cap:headline").startswith("【已解除】")


def test_hostile_text_is_escaped_and_control_characters_dropped(cap_schema):
    info = replace(_message().info, headline='<script>alert("x")</script> & 预警\x0b', areas=())
    document = cap_parse(cap_alert_build(_message(info=info)), cap_schema)
    assert cap_text(document, "cap:info/cap:headline") == '<script>alert("x")</script> & 预警'
    assert cap_text(document, "cap:info/cap:area/cap:areaDesc") == "鄂州市"  # no districts: the city
