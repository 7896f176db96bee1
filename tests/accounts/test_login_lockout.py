"""Admin sign-in lockout (django-axes through the Wagtail login): per account, per address, the Chinese
lockout page, unlocking from 设置 → 登录锁定 and with `manage.py axes_reset`, and one admin only."""

import logging

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.urls import reverse

from accounts.lockout import client_ip_address

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
PASSWORD = "correct-horse-battery-staple"
LIMIT = 5


@pytest.fixture(autouse=True)
def _policy(settings):
    settings.AXES_FAILURE_LIMIT = LIMIT
    settings.TRUSTED_PROXY_COUNT = 0


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_user("editor", "editor@example.cn", PASSWORD, is_staff=True)


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("root", "root@example.cn", PASSWORD)


def login(client, username, password, ip="203.0.113.10", **extra):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip, **extra)


def logged_in(response) -> bool:
    return response.status_code == 302 and response.url.startswith("/admin/")


def test_wrong_passwords_lock_the_account_and_then_the_right_one_is_refused(client, editor):
    for _ in range(LIMIT - 1):
        assert login(client, "editor", "wrong").status_code == 200  # the form, with its error
    locked = login(client, "editor", "wrong")
    assert locked.status_code == 429
    refused = login(client, "editor", PASSWORD)
    assert refused.status_code == 429 and "_auth_user_id" not in client.session
    # From another address too: the account itself is locked.
    assert login(client, "editor", PASSWORD, ip="198.51.100.20").status_code == 429


def test_below_the_limit_the_right_password_still_logs_in(client, editor):
    for _ in range(LIMIT - 1):
        login(client, "editor", "wrong")
    assert logged_in(login(client, "editor", PASSWORD))


def test_one_address_trying_many_accounts_is_locked_for_every_account(client, editor):
    for n in range(LIMIT):
        login(client, f"guess{n}", "wrong", ip="203.0.113.66")
    assert login(client, "editor", PASSWORD, ip="203.0.113.66").status_code == 429
    # The account was never tried LIMIT times: from elsewhere it logs in.
    assert logged_in(login(client, "editor", PASSWORD, ip="198.51.100.20"))


def test_lockout_page_is_chinese_not_english_and_not_an_error(client, editor):
    for _ in range(LIMIT):
        response = login(client, "editor", "wrong")
    html = response.content.decode()
    assert response.status_code == 429
    assert "登录已暂时锁定" in html and "30 分钟" in html and "设置 → 登录锁定" in html
    assert "Account locked" not in html
    assert response["Retry-After"] == str(30 * 60)
    assert response["Cache-Control"] == "no-store"


def test_lockout_is_logged_on_one_readable_line(client, editor, caplog):
    caplog.set_level(logging.WARNING, logger="axes")
    for _ in range(LIMIT):
        login(client, "editor\nAXES: forged line", "wrong", HTTP_USER_AGENT="kiosk")
    lines = [r.getMessage() for r in caplog.records if "Locking out" in r.getMessage()]
    assert lines, caplog.text
    assert 'username="editor\\nAXES: forged line"' in lines[-1]  # escaped, cannot start a new line
    assert "ip=203.0.113.10" in lines[-1] and 'path="/admin/login/"' in lines[-1]
    assert "\n" not in lines[-1]


def test_forwarded_for_is_ignored_unless_a_proxy_is_configured(rf, settings):
    request = rf.post(LOGIN, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9")
    assert client_ip_address(request) == "127.0.0.1"
    settings.TRUSTED_PROXY_COUNT = 1  # nginx appends the address it saw: the right-most entry
    assert client_ip_address(request) == "203.0.113.9"
    spoofed = rf.post(LOGIN, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="not-an-address")
    assert client_ip_address(spoofed) == "127.0.0.1"
    assert client_ip_address(rf.post(LOGIN, REMOTE_ADDR="127.0.0.1")) == "127.0.0.1"


def test_behind_a_proxy_each_client_is_counted_separately(client, editor, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(LIMIT):
        login(client, f"guess{n}", "wrong", ip="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.66")
    blocked = login(client, "editor", PASSWORD, ip="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.66")
    assert blocked.status_code == 429
    # Another client behind the same nginx is not locked out, and writing a spoofed address on the
    # left of the header does not escape the lock either.
    assert logged_in(login(client, "editor", PASSWORD, ip="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7"))
    client.logout()
    forged = login(client, "editor", PASSWORD, ip="127.0.0.1", HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.66")
    assert forged.status_code == 429


def _lock(client, username="editor", ip="203.0.113.10"):
    for _ in range(LIMIT):
        login(client, username, "wrong", ip=ip)
    assert login(client, username, PASSWORD, ip=ip).status_code == 429


def test_superuser_sees_and_lifts_lockouts_in_the_admin(client, editor, superuser):
    _lock(client)  # the account, from 203.0.113.10
    for n in range(LIMIT):  # and another address, trying other accounts
        login(client, f"guess{n}", "wrong", ip="198.51.100.99")
    admin = client.__class__()
    admin.force_login(superuser)
    index = admin.get(reverse("login_lockouts:index"))
    html = index.content.decode()
    assert index.status_code == 200
    assert 'id="login-lockouts"' in html and "editor" in html and "198.51.100.99" in html
    assert html.count("解除锁定</button>") == 3  # the account, its address, the other address

    response = admin.post(reverse("login_lockouts:reset"), {"kind": "username", "value": "editor"})
    assert response.status_code == 302 and response.url == reverse("login_lockouts:index")
    assert logged_in(login(client, "editor", PASSWORD))
    client.logout()
    assert login(client, "editor", PASSWORD, ip="198.51.100.99").status_code == 429
    admin.post(reverse("login_lockouts:reset"), {"kind": "ip_address", "value": "198.51.100.99"})
    assert logged_in(login(client, "editor", PASSWORD, ip="198.51.100.99"))
    assert 'id="login-lockouts-empty"' in admin.get(reverse("login_lockouts:index")).content.decode()
    assert AccessFailureLog.objects.filter(username="editor").count() >= LIMIT  # the log is kept


def test_lockout_view_needs_permission_and_unlocking_a_stronger_one(client, editor, superuser):
    _lock(client, username="someone", ip="198.51.100.5")
    client.force_login(editor)
    assert client.get(reverse("login_lockouts:index")).status_code == 302  # Wagtail: 无权限 → 首页
    client.post(reverse("login_lockouts:reset"), {"kind": "username", "value": "someone"})
    assert AccessAttempt.objects.filter(username="someone").exists()

    viewers = Group.objects.create(name="安全审计")
    viewers.permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_accessattempt"),
    )
    editor.groups.add(viewers)
    client.force_login(get_user_model().objects.get(pk=editor.pk))
    page = client.get(reverse("login_lockouts:index"))
    assert page.status_code == 200 and "someone" in page.content.decode()
    assert "解除锁定</button>" not in page.content.decode()
    client.post(reverse("login_lockouts:reset"), {"kind": "username", "value": "someone"})
    assert AccessAttempt.objects.filter(username="someone").exists()
    assert client.get(reverse("login_lockouts:reset")).status_code == 405

    client.force_login(superuser)
    sidebar = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("login_lockouts:index") in sidebar  # a menu item (under 设置)


def test_axes_reset_command_lifts_every_lockout(client, editor, capsys):
    _lock(client)
    call_command("axes_reset")
    assert AccessAttempt.objects.count() == 0
    assert logged_in(login(client, "editor", PASSWORD))


def test_django_admin_is_gone(client, superuser):
    assert client.get("/django-admin/").status_code == 404
    assert client.get("/django-admin/login/").status_code == 404
    client.force_login(superuser)
    assert client.get("/django-admin/").status_code == 404
