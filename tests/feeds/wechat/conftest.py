"""WeChat fixtures: a local protocol-faithful WeChat API (``fake_wechat``) and a valid EncodingAESKey."""

import base64
import hashlib

import pytest
from django.core.cache import cache

from .fake_server import FakeWeChat

APP_ID = "wx_test_app"
APP_SECRET = "test-secret"


@pytest.fixture
def fake_wechat(settings):
    """A started ``FakeWeChat`` with the WeChat settings pointing at it; tokens are cached, so the cache
    is cleared before and after."""
    cache.clear()
    server = FakeWeChat(app_id=APP_ID, app_secret=APP_SECRET).start()
    settings.WECHAT_API_BASE = server.base_url
    settings.WECHAT_APP_ID = APP_ID
    settings.WECHAT_APP_SECRET = APP_SECRET
    settings.WECHAT_TOKEN = "test-token"
    settings.WECHAT_AES_KEY = ""
    try:
        yield server
    finally:
        server.stop()
        cache.clear()


@pytest.fixture
def wechat_aes_key() -> str:
    """A valid 43-character EncodingAESKey (base64 of 32 bytes without the trailing "="); fixed, so failures
    reproduce. Not the official sample's key, so tests cannot pass by replaying a published vector."""
    key = base64.b64encode(hashlib.sha256(b"kepu-ezhou wechat test key").digest()).decode("ascii").rstrip("=")
    assert len(key) == 43 and len(base64.b64decode(key + "=")) == 32
    return key
