"""/wechat/callback: verification, signatures, replays, hostile XML, keywords on the demo data, AES mode."""

import html
import re
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from wagtail.models import Page

from content.models import CONTENT_MODELS
from feeds.wechat import crypto
from feeds.wechat.replies import message_parse
from search.documents import search_document_sync

from . import vectors

DEMO_FILE = Path(__file__).resolve().parents[3] / "demo" / "demo.jsonl"
TOKEN = "test-token"
APP_ID = "wx_test_app"

# The demo import below is done once per module: under xdist (--dist loadgroup) the module's
# tests stay in one worker instead of importing it again in each.
pytestmark = pytest.mark.xdist_group("wechat-demo-content")


@pytest.fixture(scope="module")
def demo_content(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo content, imported once for the module inside a transaction rolled back at the end."""
    media = str(tmp_path_factory.getbasetemp() / "media")  # where tests/conftest.py points MEDIA_ROOT
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("import_content", str(DEMO_FILE), verbosity=0)
            for page_id in Page.objects.type(*CONTENT_MODELS).live().values_list("pk", flat=True):
                search_document_sync(page_id)
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def wechat(settings, db):
    cache.clear()
    settings.WECHAT_TOKEN = TOKEN
    settings.WECHAT_APP_ID = APP_ID
    settings.WECHAT_AES_KEY = ""
    yield settings
    cache.clear()


def _signed(timestamp=None, nonce="n0nce"):
    timestamp = str(int(time.time()) if timestamp is None else timestamp)
    return {"timestamp": timestamp, "nonce": nonce, "signature": crypto.signature(TOKEN, timestamp, nonce)}


def _text_message(content, msg_id="1001"):
    return (
        "<xml><ToUserName><![CDATA[gh_kepu]]></ToUserName><FromUserName><![CDATA[o_citizen]]></FromUserName>"
        f"<CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
        f"<Content><![CDATA[{content}]]></Content><MsgId>{msg_id}</MsgId></xml>"
    )


def _post(client, body, params=None):
    query = "&".join(f"{k}={v}" for k, v in (params or _signed()).items())
    return client.post(f"/wechat/callback?{query}", data=body, content_type="text/xml")


# --- verification and refusals -------------------------------------------------------------


def test_server_verification_echoes_echostr(client, wechat):
    response = client.get("/wechat/callback", {**_signed(), "echostr": "8172638123"})
    assert response.status_code == 200 and response.content == b"8172638123"


def test_bad_signature_is_403(client, wechat):
    params = {**_signed(), "signature": "0" * 40}
    assert client.get("/wechat/callback", {**params, "echostr": "x"}).status_code == 403
    assert _post(client, _text_message("台风"), params).status_code == 403


def test_stale_timestamp_is_refused_as_a_replay(client, wechat):
    old = _signed(timestamp=int(time.time()) - 3600)
    assert client.get("/wechat/callback", {**old, "echostr": "x"}).status_code == 403
    assert _post(client, _text_message("台风"), old).status_code == 403


@pytest.mark.parametrize(
    "body",
    [
        "not xml at all",
        "<xml><Content>unclosed</xml>",
        "<html><body>no</body></html>",
        # Billion laughs: entity expansion must be refused, not evaluated.
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
        "<xml><Content>&lol2;</Content></xml>",
        # External entity (XXE): must never read the file.
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><xml><Content>&xxe;</Content></xml>',
    ],
)
def test_malformed_or_hostile_xml_is_400(client, wechat, body):
    response = _post(client, body)
    assert response.status_code == 400
    assert b"root:" not in response.content


def test_oversized_body_is_400(client, wechat):
    assert _post(client, _text_message("台" * 40_000)).status_code == 400


def test_callback_without_token_configured_is_503(client, settings, db):
    settings.WECHAT_TOKEN = ""
    assert client.get("/wechat/callback", {**_signed(), "echostr": "x"}).status_code == 503


# --- answers -----------------------------------------------------------------------------------


def test_keyword_typhoon_is_answered_with_typhoon_content(client, wechat, demo_content):
    response = _post(client, _text_message("台风"))
    assert response.status_code == 200
    reply = message_parse(response.content)
    assert reply["MsgType"] == "news"
    assert reply["ToUserName"] == "o_citizen" and reply["FromUserName"] == "gh_kepu"
    assert reply["ArticleCount"] == "1"
    assert "台风" in reply["Title"]
    assert reply["Url"].startswith("http://testserver/")
    assert reply["PicUrl"].startswith("http://testserver/media/")


@pytest.mark.parametrize(("keyword", "stem"), [("防诈骗", "诈"), ("溺水", "溺水"), ("中暑", "中暑")])
def test_other_keywords_find_matching_content(client, wechat, demo_content, keyword, stem):
    reply = message_parse(_post(client, _text_message(keyword, msg_id=f"k-{keyword}")).content)
    assert reply["MsgType"] == "news"
    assert stem in reply["Title"] + reply["Description"]  # 防诈骗 may fairly match 反诈/防诈 content


def test_no_match_gets_a_text_reply_with_suggestions(client, wechat, demo_content):
    reply = message_parse(_post(client, _text_message("量子引力弦论", msg_id="2002")).content)
    assert reply["MsgType"] == "text"
    assert "没有找到与“量子引力弦论”相关的科普内容" in reply["Content"]
    assert "试试发送" in reply["Content"] and "/search/?q=" in reply["Content"]


def test_no_match_reply_encodes_the_keyword_in_its_link_and_escapes_it_in_its_text(
    client, wechat, demo_content
):
    keyword = '量子引力弦论"/><&#=?'  # punctuation only: still nothing to find
    reply = message_parse(_post(client, _text_message(keyword, msg_id="2003")).content)
    assert reply["MsgType"] == "text"
    links = re.findall(r'<a href="([^"]*)">', reply["Content"])
    assert len(links) == 1, reply["Content"]
    assert parse_qs(urlsplit(html.unescape(links[0])).query) == {"q": [keyword]}
    assert "没有找到与“量子引力弦论&quot;/&gt;&lt;&amp;#=?”相关" in reply["Content"]


def test_subscribe_gets_a_welcome_with_the_five_audience_entrances(client, wechat, demo_content):
    event = (
        "<xml><ToUserName>gh_kepu</ToUserName><FromUserName>o_new</FromUserName>"
        f"<CreateTime>{int(time.time())}</CreateTime><MsgType>event</MsgType><Event>subscribe</Event></xml>"
    )
    reply = message_parse(_post(client, event).content)
    assert reply["MsgType"] == "text" and "欢迎关注科普鄂州" in reply["Content"]
    for slug in ("youth", "farmers", "workers", "elderly", "officials"):
        assert f"/audiences/{slug}/" in reply["Content"]


def test_other_message_types_get_a_hint(client, wechat, db):
    image = (
        "<xml><ToUserName>gh_kepu</ToUserName><FromUserName>o_c</FromUserName><CreateTime>1</CreateTime>"
        "<MsgType>image</MsgType><PicUrl>http://x/y.jpg</PicUrl><MsgId>3003</MsgId></xml>"
    )
    reply = message_parse(_post(client, image).content)
    assert "目前只能回答文字消息" in reply["Content"]


def test_a_resent_message_gets_the_same_answer_without_searching_again(
    client, wechat, demo_content, monkeypatch
):
    first = _post(client, _text_message("台风", msg_id="777")).content
    monkeypatch.setattr("feeds.wechat.keywords.page_search", lambda *a, **k: pytest.fail("searched twice"))
    assert (
        message_parse(_post(client, _text_message("台风", msg_id="777")).content)["Title"]
        == (message_parse(first)["Title"])
    )


# --- safe (AES) mode ---------------------------------------------------------------------------


def test_encrypted_message_is_answered_encrypted(client, wechat, demo_content, wechat_aes_key):
    wechat.WECHAT_AES_KEY = wechat_aes_key
    plain = _text_message("台风", msg_id="4004")
    encrypted = crypto.encrypt(plain, aes_key=wechat_aes_key, app_id=APP_ID)
    params = _signed()
    params |= {
        "encrypt_type": "aes",
        "msg_signature": crypto.signature(TOKEN, params["timestamp"], params["nonce"], encrypted),
    }
    body = (
        f"<xml><ToUserName><![CDATA[gh_kepu]]></ToUserName><Encrypt><![CDATA[{encrypted}]]></Encrypt></xml>"
    )
    response = _post(client, body, params)
    assert response.status_code == 200
    envelope = message_parse(response.content)
    assert crypto.signature_matches(
        envelope["MsgSignature"], TOKEN, envelope["TimeStamp"], envelope["Nonce"], envelope["Encrypt"]
    )
    reply = message_parse(crypto.decrypt(envelope["Encrypt"], aes_key=wechat_aes_key, app_id=APP_ID).encode())
    assert reply["MsgType"] == "news" and "台风" in reply["Title"]


def test_encrypted_message_with_bad_msg_signature_is_403(client, wechat, wechat_aes_key, db):
    wechat.WECHAT_AES_KEY = wechat_aes_key
    encrypted = crypto.encrypt(_text_message("台风"), aes_key=wechat_aes_key, app_id=APP_ID)
    params = {**_signed(), "encrypt_type": "aes", "msg_signature": "0" * 40}
    body = f"<xml><Encrypt><![CDATA[{encrypted}]]></Encrypt></xml>"
    assert _post(client, body, params).status_code == 403


def test_encrypted_message_for_another_account_is_400(client, wechat, wechat_aes_key, db):
    wechat.WECHAT_AES_KEY = wechat_aes_key
    encrypted = crypto.encrypt(_text_message("台风"), aes_key=wechat_aes_key, app_id="wx_other")
    params = _signed()
    params |= {
        "encrypt_type": "aes",
        "msg_signature": crypto.signature(TOKEN, params["timestamp"], params["nonce"], encrypted),
    }
    assert _post(client, f"<xml><Encrypt>{encrypted}</Encrypt></xml>", params).status_code == 400


# --- hostile input: never a 500 ----------------------------------------------------------------


@pytest.mark.parametrize(
    "bad",
    ["é" * 40, "签名", "０" * 40, "\u00a0", "a" * 39 + "ü", "%FF", "z" * 40, "0" * 41, "0" * 4000],
)
@pytest.mark.parametrize("field", ["signature", "msg_signature"])
def test_non_hex_or_non_ascii_signatures_are_refused_not_500(client, wechat, wechat_aes_key, field, bad):
    if field == "msg_signature":
        wechat.WECHAT_AES_KEY = wechat_aes_key
    params = {**_signed(), "encrypt_type": "aes", field: bad}
    encrypted = crypto.encrypt(_text_message("台风"), aes_key=wechat_aes_key, app_id=APP_ID)
    response = client.post(
        "/wechat/callback?" + "&".join(f"{k}={v}" for k, v in params.items()),
        data=f"<xml><Encrypt>{encrypted}</Encrypt></xml>",
        content_type="text/xml",
    )
    assert response.status_code == 403
    assert "签名" in response.content.decode()
    if field == "signature":
        assert client.get("/wechat/callback", {**params, "echostr": "x"}).status_code == 403


def test_signature_check_never_raises(wechat):
    for bad in ("é" * 40, None, 12, b"0" * 40, "", "\x00" * 40):
        assert crypto.signature_matches(bad, TOKEN, "1", "2") is False
    good = crypto.signature(TOKEN, "1", "2")
    assert crypto.signature_matches(good.upper(), TOKEN, "1", "2") is True


@pytest.mark.parametrize(
    "declaration",
    [
        '<?xml version="1.0" encoding="x-unknown"?>',
        '<?xml version="1.0" encoding="rot13"?>',
        '<?xml version="1.0" encoding="base64"?>',
        '<?xml version="1.0" encoding="utf-32"?>',
        '<?xml version="1.0" encoding="gb18030"?>',
        '<?xml version="1.0" encoding="idna"?>',
        '<?xml version="1.0" encoding="punycode"?>',
        '<?xml version="1.0" encoding=""?>',
    ],
)
def test_signed_post_with_an_unknown_or_unusable_encoding_is_400(client, wechat, declaration):
    response = _post(client, declaration + _text_message("台风"))
    assert response.status_code == 400
    assert "消息无效" in response.content.decode()


def test_deeply_nested_xml_is_400(client, wechat):
    assert _post(client, "<xml>" + "<a>" * 20_000 + "</a>" * 20_000 + "</xml>").status_code == 400


def test_declared_oversized_body_is_refused_before_reading(client, wechat):
    response = client.post(
        "/wechat/callback?" + "&".join(f"{k}={v}" for k, v in _signed().items()),
        data=_text_message("台风"),
        content_type="text/xml",
        CONTENT_LENGTH="99999999",
    )
    assert response.status_code == 400 and "过大" in response.content.decode()


# --- safe mode is enforced when the AES key is set ------------------------------------------------


def test_plain_message_is_refused_when_the_aes_key_is_set(client, wechat, wechat_aes_key, monkeypatch):
    """The URL signature covers token, timestamp and nonce only: with a seen URL anyone could post any
    plain body, so safe mode must not fall back to plain mode."""
    wechat.WECHAT_AES_KEY = wechat_aes_key
    monkeypatch.setattr("feeds.wechat.views.message_answer", lambda *a, **k: pytest.fail("answered"))
    response = _post(client, _text_message("台风"))
    assert response.status_code == 403 and "安全模式" in response.content.decode()


def test_encrypt_type_without_msg_signature_is_refused_in_safe_mode(client, wechat, wechat_aes_key):
    wechat.WECHAT_AES_KEY = wechat_aes_key
    encrypted = crypto.encrypt(_text_message("台风"), aes_key=wechat_aes_key, app_id=APP_ID)
    params = {**_signed(), "encrypt_type": "aes"}
    assert _post(client, f"<xml><Encrypt>{encrypted}</Encrypt></xml>", params).status_code == 403
    params = {**_signed(), "encrypt_type": "raw", "msg_signature": "0" * 40}
    assert _post(client, _text_message("台风"), params).status_code == 403


def test_safe_mode_message_without_an_encrypt_element_is_refused(client, wechat, wechat_aes_key):
    wechat.WECHAT_AES_KEY = wechat_aes_key
    params = _signed()
    params |= {
        "encrypt_type": "aes",
        "msg_signature": crypto.signature(TOKEN, params["timestamp"], params["nonce"], ""),
    }
    assert _post(client, _text_message("台风"), params).status_code == 400


def test_plain_body_next_to_a_valid_encrypt_is_ignored(client, wechat, wechat_aes_key, db):
    """Compatible mode (兼容模式) sends plain fields next to Encrypt: only the decrypted message counts."""
    wechat.WECHAT_AES_KEY = wechat_aes_key
    inner = _text_message("量子引力弦论", msg_id="5005")
    encrypted = crypto.encrypt(inner, aes_key=wechat_aes_key, app_id=APP_ID)
    params = _signed()
    params |= {
        "encrypt_type": "aes",
        "msg_signature": crypto.signature(TOKEN, params["timestamp"], params["nonce"], encrypted),
    }
    body = (
        "<xml><ToUserName>gh_kepu</ToUserName><FromUserName>o_forged</FromUserName><MsgType>text</MsgType>"
        f"<Content>台风</Content><MsgId>6006</MsgId><Encrypt><![CDATA[{encrypted}]]></Encrypt></xml>"
    )
    response = _post(client, body, params)
    assert response.status_code == 200
    envelope = message_parse(response.content)
    reply = message_parse(crypto.decrypt(envelope["Encrypt"], aes_key=wechat_aes_key, app_id=APP_ID).encode())
    assert reply["ToUserName"] == "o_citizen" and "量子引力弦论" in reply["Content"]


def test_safe_mode_accepts_the_official_sample_message(client, settings, db, monkeypatch):
    """WeChat's own sample (vectors.py): its msg_signature and ciphertext are accepted as they are."""

    settings.WECHAT_TOKEN = vectors.AES_TOKEN
    settings.WECHAT_APP_ID = vectors.AES_APPID
    settings.WECHAT_AES_KEY = vectors.AES_ENCODING_KEY
    monkeypatch.setattr("feeds.wechat.views._fresh", lambda timestamp: True)  # the sample is from 2014
    seen = []
    monkeypatch.setattr(
        "feeds.wechat.views.message_answer", lambda message, **k: seen.append(message) or "success"
    )
    params = {
        "timestamp": vectors.AES_TIMESTAMP,
        "nonce": vectors.AES_NONCE,
        "signature": crypto.signature(vectors.AES_TOKEN, vectors.AES_TIMESTAMP, vectors.AES_NONCE),
        "encrypt_type": "aes",
        "msg_signature": vectors.AES_MSG_SIGNATURE,
    }
    body = f"<xml><ToUserName><![CDATA[toUser]]></ToUserName><Encrypt><![CDATA[{vectors.AES_ENCRYPT}]]></Encrypt></xml>"
    response = _post(client, body, params)
    assert response.status_code == 200 and seen
    # The same sample posted in plain mode is refused while the key is set.
    plain = {k: params[k] for k in ("timestamp", "nonce", "signature")}
    assert _post(client, vectors.AES_PLAINTEXT_XML, plain).status_code == 403
