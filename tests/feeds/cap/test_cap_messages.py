"""CAP over HTTP: Alert → Update → Cancel as an emergency page is published, edited and withdrawn."""

import datetime as dt

import feedparser
import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.utils import timezone
from freezegun import freeze_time
from wagtail.models import PageLogEntry, PageViewRestriction

from content.models import EmergencyPage
from feeds.cap.models import CapMessage
from tests.factories import EmergencyPageFactory

from .conftest import NS, cap_parse, cap_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(emergency_index):
    return EmergencyPageFactory(
        parent=emergency_index,
        live=False,
        title="暴雨橙色预警：请减少外出",
        severity="orange",
        audiences=["elderly", "farmers"],
        regions=["鄂城区", "华容区"],
    )


def _document(client, url, schema):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "application/cap+xml; charset=utf-8"
    return cap_parse(response.content, schema)


def _reference(document) -> str:
    return ",".join(cap_text(document, f"cap:{name}") for name in ("sender", "identifier", "sent"))


def test_publish_edit_edit_unpublish_is_alert_update_update_cancel(
    client, draft, publish, unpublish, cap_schema
):
    url = f"/feeds/emergency/cap/{draft.pk}.xml"
    publish(draft)
    alert = _document(client, url, cap_schema)
    assert cap_text(alert, "cap:msgType") == "Alert"
    assert cap_text(alert, "cap:references") is None
    assert cap_text(alert, "cap:status") == "Actual" and cap_text(alert, "cap:scope") == "Public"
    assert cap_text(alert, "cap:info/cap:language") == "zh-CN"
    assert cap_text(alert, "cap:info/cap:event") == "暴雨橙色预警"
    assert cap_text(alert, "cap:info/cap:headline") == "暴雨橙色预警：请减少外出"
    assert cap_text(alert, "cap:info/cap:instruction").startswith("1. 尽量减少外出")
    assert cap_text(alert, "cap:info/cap:web") == f"http://testserver{draft.url}"
    assert [a.text for a in alert.findall("cap:info/cap:area/cap:areaDesc", NS)] == [
        "鄂州市鄂城区",
        "鄂州市华容区",
    ]
    assert cap_text(alert, "cap:sent").endswith("+08:00")

    publish(draft, severity="red", title="暴雨红色预警：停止户外活动")
    update = _document(client, url, cap_schema)
    assert cap_text(update, "cap:msgType") == "Update"
    assert cap_text(update, "cap:identifier") != cap_text(alert, "cap:identifier")
    assert cap_text(update, "cap:references") == _reference(alert)
    assert cap_text(update, "cap:info/cap:severity") == "Extreme"

    publish(draft, expires_at=timezone.now() + dt.timedelta(days=2))
    second_update = _document(client, url, cap_schema)
    assert cap_text(second_update, "cap:references").split() == [_reference(alert), _reference(update)]

    unpublish(draft)
    cancel = _document(client, url, cap_schema)
    assert cap_text(cancel, "cap:msgType") == "Cancel"
    assert cap_text(cancel, "cap:references").split() == [
        _reference(alert),
        _reference(update),
        _reference(second_update),
    ]
    # Every referenced message is still there, exactly as announced.
    for reference in cap_text(cancel, "cap:references").split():
        identifier = reference.split(",")[1]
        earlier = _document(client, f"/feeds/emergency/cap/messages/{identifier}.xml", cap_schema)
        assert _reference(earlier) == reference
    assert CapMessage.objects.filter(page_key=draft.pk).count() == 4


def test_republishing_after_a_cancel_starts_a_new_alert(client, draft, publish, unpublish, cap_schema):
    publish(draft)
    unpublish(draft)
    publish(draft)
    document = _document(client, f"/feeds/emergency/cap/{draft.pk}.xml", cap_schema)
    assert cap_text(document, "cap:msgType") == "Alert" and cap_text(document, "cap:references") is None


def test_the_message_announces_the_pages_warning(client, draft, publish, cap_schema):
    publish(draft)
    info = CapMessage.objects.get().info
    warning = EmergencyPage.objects.get(pk=draft.pk).warning
    assert info["event"] == warning.headline == "暴雨橙色预警"
    assert info["headline"] == warning.title
    assert info["instruction"].splitlines() == [
        f"{n}. {line}" for n, line in enumerate(warning.instructions, 1)
    ]
    assert info["areas"] == [f"鄂州市{name}" for name in warning.regions]
    document = _document(client, f"/feeds/emergency/cap/{draft.pk}.xml", cap_schema)
    assert cap_text(document, "cap:info/cap:event") == warning.headline


def test_a_message_recorded_before_the_event_name_was_kept_needs_no_update(draft, publish):
    publish(draft)
    message = CapMessage.objects.get()
    message.info = {key: value for key, value in message.info.items() if key != "event"}
    message.save()
    publish(draft)
    call_command("cap_sync")
    assert list(CapMessage.objects.values_list("msg_type", flat=True)) == ["Alert"]


def test_publishing_unchanged_content_sends_no_update_but_is_audited(draft, publish):
    publish(draft)
    publish(draft)
    assert list(CapMessage.objects.values_list("msg_type", flat=True)) == ["Alert"]
    assert PageLogEntry.objects.filter(page=draft, action="kepu.emergency.publish").count() == 2


def test_deleting_a_live_emergency_cancels_its_alert(
    client, draft, publish, cap_schema, django_capture_on_commit_callbacks
):
    publish(draft)
    page_id = draft.pk
    with django_capture_on_commit_callbacks(execute=True):
        draft.delete()
    document = _document(client, f"/feeds/emergency/cap/{page_id}.xml", cap_schema)
    assert cap_text(document, "cap:msgType") == "Cancel"


def test_publishing_records_an_audit_entry_shown_in_the_page_history(
    client, draft, django_capture_on_commit_callbacks
):
    admin = User.objects.create_superuser("admin", password="pw")
    with django_capture_on_commit_callbacks(execute=True):
        draft.save_revision(user=admin).publish(user=admin)
    entry = PageLogEntry.objects.get(page=draft, action="kepu.emergency.publish")
    message = CapMessage.objects.get(page_key=draft.pk)
    assert entry.user == admin
    assert entry.data["identifier"] == message.identifier and entry.data["msg_type"] == "Alert"
    client.force_login(admin)
    history = client.get(f"/admin/pages/{draft.pk}/history/").content.decode()
    assert "应急发布" in history and "应急内容已发布" in history and message.identifier in history


def test_private_and_draft_emergencies_never_reach_cap(client, emergency_index, publish):
    private = EmergencyPageFactory(parent=emergency_index, live=False, title="内部演练")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    publish(private)
    draft = EmergencyPageFactory(parent=emergency_index, live=False)
    assert not CapMessage.objects.exists()
    for page in (private, draft):
        assert client.get(f"/feeds/emergency/cap/{page.pk}.xml").status_code == 404
    assert feedparser.parse(client.get("/feeds/emergency/cap.atom").content).entries == []


def test_an_alert_made_private_after_publication_is_hidden(client, draft, publish):
    publish(draft)
    identifier = CapMessage.objects.get().identifier
    PageViewRestriction.objects.create(page=draft, restriction_type=PageViewRestriction.LOGIN)
    assert client.get(f"/feeds/emergency/cap/{draft.pk}.xml").status_code == 404
    assert client.get(f"/feeds/emergency/cap/messages/{identifier}.xml").status_code == 404


# --- the Atom index ------------------------------------------------------------------------


def test_index_lists_current_alerts_only_most_severe_first(client, emergency_index, publish, unpublish):
    now = timezone.now()
    blue = publish(EmergencyPageFactory(parent=emergency_index, live=False, title="蓝色", severity="blue"))
    red = publish(EmergencyPageFactory(parent=emergency_index, live=False, title="红色", severity="red"))
    upcoming = publish(
        EmergencyPageFactory(
            parent=emergency_index,
            live=False,
            title="即将生效",
            severity="yellow",
            effective_from=now + dt.timedelta(hours=3),
            expires_at=now + dt.timedelta(days=1),
        )
    )
    expired = publish(
        EmergencyPageFactory(
            parent=emergency_index,
            live=False,
            title="已过期",
            effective_from=now - dt.timedelta(days=2),
            expires_at=now - dt.timedelta(days=1),
        )
    )
    cancelled = publish(EmergencyPageFactory(parent=emergency_index, live=False, title="已解除"))
    unpublish(cancelled)

    response = client.get("/feeds/emergency/cap.atom")
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert [e.title for e in parsed.entries] == ["红色", "即将生效", "蓝色"]
    entry = parsed.entries[0]
    assert entry.link.startswith("http://testserver/feeds/emergency/cap/messages/KPEZ-")
    assert client.get(entry.link).status_code == 200
    assert entry["cap_severity"] == "Extreme" and entry["cap_msgtype"] == "Alert"
    assert {expired.pk, upcoming.pk, blue.pk, red.pk} <= set(
        CapMessage.objects.values_list("page_key", flat=True)
    )
    # The expired alert keeps its last document (its <expires> is in the past); it only leaves the index.
    assert client.get(f"/feeds/emergency/cap/{expired.pk}.xml").status_code == 200


def test_the_index_drops_an_alert_at_its_expiry_instant(client, draft, publish):
    publish(draft)
    expires_at = EmergencyPage.objects.get(pk=draft.pk).expires_at
    with freeze_time(expires_at - dt.timedelta(seconds=1)):
        before = client.get("/feeds/emergency/cap.atom")
        assert [e.title for e in feedparser.parse(before.content).entries] == [draft.title]
    with freeze_time(expires_at):  # the window is [effective_from, expires_at)
        after = client.get("/feeds/emergency/cap.atom", HTTP_IF_NONE_MATCH=before["ETag"])
        assert after.status_code == 200 and feedparser.parse(after.content).entries == []


def test_index_and_documents_answer_304_and_change_on_the_next_publication(client, draft, publish):
    publish(draft)
    index = client.get("/feeds/emergency/cap.atom")
    assert client.get("/feeds/emergency/cap.atom", HTTP_IF_NONE_MATCH=index["ETag"]).status_code == 304
    document = client.get(f"/feeds/emergency/cap/{draft.pk}.xml")
    assert (
        client.get(f"/feeds/emergency/cap/{draft.pk}.xml", HTTP_IF_NONE_MATCH=document["ETag"]).status_code
        == 304
    )
    assert (
        client.get(
            f"/feeds/emergency/cap/{draft.pk}.xml", HTTP_IF_MODIFIED_SINCE=document["Last-Modified"]
        ).status_code
        == 304
    )
    publish(draft, title="暴雨橙色预警：更新")
    assert client.get("/feeds/emergency/cap.atom", HTTP_IF_NONE_MATCH=index["ETag"]).status_code == 200
    assert (
        client.get(f"/feeds/emergency/cap/{draft.pk}.xml", HTTP_IF_NONE_MATCH=document["ETag"]).status_code
        == 200
    )


@pytest.mark.parametrize(
    "url",
    [
        "/feeds/emergency/cap/999999.xml",
        "/feeds/emergency/cap/99999999999999999999999.xml",
        "/feeds/emergency/cap/-1.xml",
        "/feeds/emergency/cap/abc.xml",
        "/feeds/emergency/cap/messages/nope.xml",
        "/feeds/emergency/cap/messages/%3Cscript%3E.xml",
        "/feeds/emergency/cap/messages/" + "A" * 500 + ".xml",
        "/feeds/emergency/cap/messages/%E9%A2%84%E8%AD%A6.xml",
    ],
)
def test_unknown_or_hostile_cap_urls_are_404(client, url):
    assert client.get(url).status_code == 404


# --- repair ----------------------------------------------------------------------------------


def test_cap_sync_backfills_alerts_and_cancels_missed_withdrawals(emergency_index, draft, publish):
    legacy = EmergencyPageFactory(parent=emergency_index, title="上线前发布的预警")  # live, never signalled
    publish(draft)
    EmergencyPageFactory._meta.model.objects.filter(pk=draft.pk).update(live=False)  # unpublished, no signal
    call_command("cap_sync", "--dry-run", stdout=None)
    assert not CapMessage.objects.filter(page_key=legacy.pk).exists()
    call_command("cap_sync")
    assert list(CapMessage.objects.filter(page_key=legacy.pk).values_list("msg_type", flat=True)) == ["Alert"]
    assert CapMessage.objects.filter(page_key=draft.pk).last().msg_type == "Cancel"
    before = CapMessage.objects.count()
    call_command("cap_sync")
    assert CapMessage.objects.count() == before  # idempotent
