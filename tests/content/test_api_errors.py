"""Every JSON API refuses with the one envelope of DESIGN.md §3: ``{"error": "<Chinese>"}``, never cached."""

import json

import pytest
from django.test import RequestFactory

from content.database_busy import busy_response

pytestmark = pytest.mark.django_db

REFUSALS = [
    ("get", "/api/v1/search/", {"q": ""}, 400),
    ("get", "/api/v1/search/suggest/", {"q": "溺" * 500}, 400),
    ("get", "/api/v1/wechat/jssdk-config", {}, 400),
    ("get", "/api/v1/screens/987654/feed", {}, 404),
    ("post", "/api/v1/screens/987654/heartbeat", {}, 404),
]


def _assert_envelope(response, status):
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    body = json.loads(response.content)
    assert list(body) == ["error"]  # the HTTP status is not repeated in the body
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["error"])
    assert "\\u" not in response.content.decode()  # readable Chinese, not escapes


@pytest.mark.parametrize(("method", "path", "params", "status"), REFUSALS)
def test_every_api_refuses_with_the_documented_envelope(client, method, path, params, status):
    _assert_envelope(getattr(client, method)(path, params), status)


def test_a_busy_database_answers_the_api_with_the_same_envelope():
    response = busy_response(RequestFactory().get("/api/v1/search/"))
    _assert_envelope(response, 503)
    assert response["Retry-After"] == "5"
