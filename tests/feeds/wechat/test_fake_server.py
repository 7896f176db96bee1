"""The fake WeChat server and the published vectors are themselves tested, with stdlib HTTP only."""

import base64
import hashlib
import json
import struct
import urllib.error
import urllib.request
from urllib.parse import urlencode, urlsplit

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings as django_settings

from . import vectors as v
from .fake_server import FakeWeChat

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\r\n--not-a-boundary\r\n\x00\xff\xd9"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\r\n\r\n"
GIF = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"


@pytest.fixture
def server():
    fake = FakeWeChat(app_id="wx_test_app", app_secret="test-secret", publish_polls_before_done=1).start()
    yield fake
    fake.stop()


def _open(request) -> dict:
    with urllib.request.urlopen(request, timeout=5) as response:
        assert response.status == 200
        assert response.headers["Content-Type"] == "application/json; charset=utf-8"
        return json.loads(response.read().decode("utf-8"))


def get(server, path, **query) -> dict:
    return _open(urllib.request.Request(f"{server.base_url}{path}?{urlencode(query)}"))


def post_json(server, path, payload, *, ensure_ascii=False, **query) -> dict:
    body = json.dumps(payload, ensure_ascii=ensure_ascii).encode("utf-8")
    url = f"{server.base_url}{path}" + (f"?{urlencode(query)}" if query else "")
    headers = {"Content-Type": "application/json; charset=utf-8"}
    return _open(urllib.request.Request(url, data=body, headers=headers, method="POST"))


def post_file(server, path, filename, content, content_type="image/jpeg", **query) -> dict:
    boundary = "----fakewechattestboundary7MA4YWxk"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="media"; filename="{filename}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    url = f"{server.base_url}{path}?{urlencode(query)}"
    headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
    return _open(urllib.request.Request(url, data=body, headers=headers, method="POST"))


def stable_token(server, *, appid="wx_test_app", secret="test-secret", force_refresh=False) -> dict:
    payload = {
        "grant_type": "client_credential",
        "appid": appid,
        "secret": secret,
        "force_refresh": force_refresh,
    }
    return post_json(server, "/cgi-bin/stable_token", payload)


def token(server) -> str:
    return stable_token(server)["access_token"]


def cover(server, access_token) -> str:
    return post_file(server, "/cgi-bin/material/add_material", "封面.png", PNG, "image/png",
                     access_token=access_token, type="image")["media_id"]  # fmt: skip


def article(thumb, **fields) -> dict:
    return {
        "title": "夏季防溺水",
        "author": "鄂州科协",
        "digest": "六不准",
        "content": '<p style="color:#333">不私自下水游泳。</p>',
        "content_source_url": "https://kepu.example.cn/articles/1/",
        "thumb_media_id": thumb,
        "need_open_comment": 0,
        "only_fans_can_comment": 0,
        "pic_crop_235_1": "0_0_1_0.425532",
        "pic_crop_1_1": "0.2_0_0.7_1",
        **fields,
    }


# --- tokens ---------------------------------------------------------------------------------------


def test_stable_token_is_reused_until_expired_and_error_codes_match_wechat(server):
    first = stable_token(server)
    assert first["expires_in"] == 7200 and len(first["access_token"]) >= 64
    assert stable_token(server)["access_token"] == first["access_token"]  # normal mode: same token
    assert server.tokens_issued == 2

    assert stable_token(server, appid="wx_other")["errcode"] == 40013
    assert stable_token(server, secret="wrong")["errcode"] == 40125
    assert " rid: " in stable_token(server, secret="wrong")["errmsg"]
    assert get(server, "/cgi-bin/ticket/getticket", type="jsapi")["errcode"] == 41001
    assert get(server, "/cgi-bin/ticket/getticket", access_token="nope", type="jsapi")["errcode"] == 40001

    ticket = get(server, "/cgi-bin/ticket/getticket", access_token=first["access_token"], type="jsapi")
    assert ticket["errcode"] == 0 and ticket["ticket"] and ticket["expires_in"] == 7200

    server.expire_tokens()
    expired = get(server, "/cgi-bin/ticket/getticket", access_token=first["access_token"], type="jsapi")
    assert expired["errcode"] == 42001 and expired["errmsg"].startswith("access_token expired")
    renewed = token(server)
    assert renewed != first["access_token"]
    assert get(server, "/cgi-bin/ticket/getticket", access_token=renewed, type="jsapi")["errcode"] == 0

    forced = stable_token(server, force_refresh=True)["access_token"]
    assert forced != renewed
    assert get(server, "/cgi-bin/ticket/getticket", access_token=renewed, type="jsapi")["errcode"] == 40001
    assert server.violations == []
    stable_token(server, force_refresh=True)
    assert any("30 s" in problem for problem in server.violations)


def test_plain_token_endpoint_and_methods(server):
    answer = get(
        server, "/cgi-bin/token", grant_type="client_credential", appid="wx_test_app", secret="test-secret"
    )
    assert answer["expires_in"] == 7200 and answer["access_token"]
    assert (
        get(server, "/cgi-bin/token", grant_type="client_credential", appid="x", secret="y")["errcode"]
        == 40013
    )
    assert get(server, "/cgi-bin/stable_token")["errcode"] == 43002
    with pytest.raises(urllib.error.HTTPError) as error:
        get(server, "/cgi-bin/no/such/api")
    assert error.value.code == 404


def test_fail_next_comes_first_and_is_consumed_per_call(server):
    server.fail_next("/cgi-bin/draft/add", 45009, times=2)
    for _ in range(2):  # even without a token: the injection wins
        answer = post_json(server, "/cgi-bin/draft/add", {"articles": []})
        assert answer["errcode"] == 45009 and answer["errmsg"].startswith("reach max api daily quota limit")
    assert post_json(server, "/cgi-bin/draft/add", {"articles": []})["errcode"] == 41001
    server.fail_next("/cgi-bin/draft/add", -1, "system error")
    assert (
        post_json(server, "/cgi-bin/draft/add", {"articles": []}, access_token=token(server))["errcode"] == -1
    )


# --- uploads --------------------------------------------------------------------------------------


def test_uploadimg_parses_multipart_byte_exact_and_returns_mmbiz_url(server):
    access_token = token(server)
    answer = post_file(server, "/cgi-bin/media/uploadimg", "图.jpg", JPEG, access_token=access_token)
    url = urlsplit(answer["url"])
    assert url.hostname == "mmbiz.qpic.cn" and url.path.startswith("/mmbiz_jpg/") and url.path.endswith("/0")
    assert server.images == [
        {
            "url": answer["url"],
            "bytes": JPEG,
            "content_type": "image/jpeg",
            "filename": "图.jpg",
            "declared": "image/jpeg",
        }
    ]
    assert server.requests[-1].files["media"] == ("图.jpg", "image/jpeg", JPEG)

    assert (
        post_file(server, "/cgi-bin/media/uploadimg", "a.gif", GIF, access_token=access_token)["errcode"]
        == 40005
    )
    assert (
        post_file(server, "/cgi-bin/media/uploadimg", "noext", JPEG, access_token=access_token)["errcode"]
        == 40005
    )
    big = JPEG + b"\0" * (1024 * 1024)
    assert (
        post_file(server, "/cgi-bin/media/uploadimg", "big.jpg", big, access_token=access_token)["errcode"]
        == 40009
    )


def test_add_material_keeps_a_permanent_image(server):
    access_token = token(server)
    answer = post_file(
        server,
        "/cgi-bin/material/add_material",
        "c.gif",
        GIF,
        "image/gif",
        access_token=access_token,
        type="image",
    )
    assert answer["media_id"] in server.materials
    assert server.materials[answer["media_id"]]["bytes"] == GIF
    assert urlsplit(answer["url"]).hostname == "mmbiz.qpic.cn"
    bad_type = post_file(
        server, "/cgi-bin/material/add_material", "c.gif", GIF, access_token=access_token, type="nope"
    )
    assert bad_type["errcode"] == 40004


# --- drafts and publishing --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "errcode"),
    [
        ({"title": "题" * 33}, 45003),
        ({"title": ""}, 45003),
        ({"author": "作" * 17}, 45110),
        ({"digest": "摘" * 129}, 45004),
        ({"content": "字" * 20_000}, 45002),
        ({"content": ""}, 44004),
        ({"thumb_media_id": "unknown-media-id"}, 40007),
    ],
)
def test_draft_add_validates_like_wechat(server, fields, errcode):
    access_token = token(server)
    thumb = cover(server, access_token)
    answer = post_json(
        server, "/cgi-bin/draft/add", {"articles": [article(thumb, **fields)]}, access_token=access_token
    )
    assert answer["errcode"] == errcode
    assert server.drafts == {}


def test_limits_are_inclusive_where_wechat_says_so(server):
    access_token = token(server)
    thumb = cover(server, access_token)
    fields = {"title": "题" * 32, "author": "作" * 16, "digest": "摘" * 128, "content": "字" * 19_999}
    answer = post_json(
        server, "/cgi-bin/draft/add", {"articles": [article(thumb, **fields)]}, access_token=access_token
    )
    assert answer["media_id"] in server.drafts
    assert server.violations == []


def test_publish_progresses_and_consumes_the_draft(server):
    access_token = token(server)
    thumb = cover(server, access_token)
    media_id = post_json(
        server, "/cgi-bin/draft/add", {"articles": [article(thumb)]}, access_token=access_token
    )["media_id"]
    updated = post_json(
        server,
        "/cgi-bin/draft/update",
        {"media_id": media_id, "index": 0, "articles": article(thumb, title="夏季防溺水（更新）")},
        access_token=access_token,
    )
    assert updated == {"errcode": 0, "errmsg": "ok"}
    assert server.drafts[media_id][0]["title"] == "夏季防溺水（更新）"

    submitted = post_json(
        server, "/cgi-bin/freepublish/submit", {"media_id": media_id}, access_token=access_token
    )
    assert submitted["errcode"] == 0 and submitted["publish_id"] and submitted["msg_data_id"]
    publish_id = submitted["publish_id"]

    publishing = post_json(
        server, "/cgi-bin/freepublish/get", {"publish_id": publish_id}, access_token=access_token
    )
    assert publishing == {"publish_id": publish_id, "publish_status": 1}
    done = post_json(
        server, "/cgi-bin/freepublish/get", {"publish_id": publish_id}, access_token=access_token
    )
    assert done["publish_status"] == 0 and done["article_id"] and done["fail_idx"] == []
    assert done["article_detail"]["count"] == 1
    assert done["article_detail"]["item"][0]["article_url"].startswith("https://mp.weixin.qq.com/s/")
    assert server.publishes[publish_id]["polls"] == 2 and server.publishes[publish_id]["status"] == 0
    assert "<publish_status>0</publish_status>" in server.publish_event_xml(publish_id)

    again = {"media_id": media_id, "index": 0, "articles": article(thumb)}
    assert post_json(server, "/cgi-bin/draft/update", again, access_token=access_token)["errcode"] == 40007
    assert (
        post_json(server, "/cgi-bin/freepublish/submit", {"media_id": media_id}, access_token=access_token)[
            "errcode"
        ]
        == 40007
    )
    assert (
        post_json(server, "/cgi-bin/freepublish/submit", {"media_id": "nope"}, access_token=access_token)[
            "errcode"
        ]
        == 40007
    )


def test_a_failed_publish_reports_status_and_fail_idx(server):
    server.publish_polls_before_done = 0
    server.fail_publish = 2
    access_token = token(server)
    media_id = post_json(
        server,
        "/cgi-bin/draft/add",
        {"articles": [article(cover(server, access_token))]},
        access_token=access_token,
    )["media_id"]
    publish_id = post_json(
        server, "/cgi-bin/freepublish/submit", {"media_id": media_id}, access_token=access_token
    )["publish_id"]
    failed = post_json(
        server, "/cgi-bin/freepublish/get", {"publish_id": publish_id}, access_token=access_token
    )
    assert failed == {"publish_id": publish_id, "publish_status": 2, "fail_idx": [1]}


def _add(server, access_token, thumb, **fields) -> str:
    payload = {"articles": [article(thumb, **fields)]}
    return post_json(server, "/cgi-bin/draft/add", payload, access_token=access_token)["media_id"]


def test_draft_batchget_lists_the_draft_box_newest_first_in_pages(server):
    access_token = token(server)
    thumb = cover(server, access_token)
    first, second, third = (_add(server, access_token, thumb, title=f"第{n}篇") for n in (1, 2, 3))
    server.draft_times[third] -= 3600  # edited an hour ago: listed last
    update = {"media_id": first, "index": 0, "articles": article(thumb, title="第1篇（改）")}
    post_json(server, "/cgi-bin/draft/update", update, access_token=access_token)  # edited now: first

    page = post_json(
        server,
        "/cgi-bin/draft/batchget",
        {"offset": 0, "count": 2, "no_content": 1},
        access_token=access_token,
    )
    assert page["total_count"] == 3 and page["item_count"] == 2
    assert [i["media_id"] for i in page["item"]] == [first, second]
    news = page["item"][0]["content"]["news_item"][0]
    assert news["title"] == "第1篇（改）" and "content" not in news  # no_content: 1 leaves out the HTML
    assert news["content_source_url"] == "https://kepu.example.cn/articles/1/"
    assert news["url"].startswith("http://mp.weixin.qq.com/s?")
    assert page["item"][0]["update_time"] >= page["item"][1]["update_time"]
    rest = post_json(server, "/cgi-bin/draft/batchget", {"offset": 2, "count": 20}, access_token=access_token)
    assert rest["total_count"] == 3 and [i["media_id"] for i in rest["item"]] == [third]
    assert rest["item"][0]["content"]["news_item"][0]["content"].startswith("<p")  # default: with content
    assert server.draft_box() == [first, second, third]


@pytest.mark.parametrize(
    "body",
    [
        {"offset": 0, "count": 0},
        {"offset": 0, "count": 21},
        {"offset": -1, "count": 20},
        {"offset": 0},
        {"offset": "0", "count": "20"},
        {"offset": 0, "count": True},
    ],
)
@pytest.mark.parametrize("path", ["/cgi-bin/draft/batchget", "/cgi-bin/freepublish/batchget"])
def test_batchget_offset_and_count_are_validated(server, path, body):
    answer = post_json(server, path, body, access_token=token(server))
    assert answer["errcode"] == 40097 and answer["errmsg"].startswith("invalid args rid: ")


def test_a_submitted_draft_leaves_the_box_and_its_article_is_listed_once_published(server):
    access_token = token(server)
    thumb = cover(server, access_token)
    media_id = _add(server, access_token, thumb)
    kept = _add(server, access_token, thumb, title="留在草稿箱")
    got = post_json(server, "/cgi-bin/draft/get", {"media_id": media_id}, access_token=access_token)
    assert got["news_item"][0]["title"] == "夏季防溺水" and got["news_item"][0]["content"]

    publish_id = post_json(
        server, "/cgi-bin/freepublish/submit", {"media_id": media_id}, access_token=access_token
    )["publish_id"]
    gone = post_json(server, "/cgi-bin/draft/get", {"media_id": media_id}, access_token=access_token)
    assert gone["errcode"] == 40007
    box = post_json(server, "/cgi-bin/draft/batchget", {"offset": 0, "count": 20}, access_token=access_token)
    assert box["total_count"] == 1 and [i["media_id"] for i in box["item"]] == [kept]

    listed = {"offset": 0, "count": 20, "no_content": 1}
    running = post_json(server, "/cgi-bin/freepublish/batchget", listed, access_token=access_token)
    assert running == {"total_count": 0, "item_count": 0, "item": []}  # only successful publishes
    server.publish_jobs_finish()
    done = post_json(server, "/cgi-bin/freepublish/batchget", listed, access_token=access_token)
    assert done["total_count"] == 1 and done["item_count"] == 1
    (item,) = done["item"]
    job = server.publishes[str(publish_id)]
    assert item["article_id"] == job["article_id"]
    (news,) = item["content"]["news_item"]
    assert news["url"] == job["article_urls"][0] and news["is_deleted"] is False and "content" not in news
    assert (
        news["title"] == "夏季防溺水" and news["content_source_url"] == "https://kepu.example.cn/articles/1/"
    )
    assert item["update_time"] == item["content"]["update_time"]


def test_a_dropped_answer_is_carried_out_but_never_arrives(server):
    access_token = token(server)
    thumb = cover(server, access_token)
    server.drop_answer_next("/cgi-bin/draft/add")
    body = json.dumps({"articles": [article(thumb)]}, ensure_ascii=False).encode("utf-8")
    url = f"{server.base_url}/cgi-bin/draft/add?{urlencode({'access_token': access_token})}"
    request = urllib.request.Request(url, data=body, method="POST")
    with pytest.raises((urllib.error.URLError, ConnectionError)):
        urllib.request.urlopen(request, timeout=5)
    assert len(server.drafts) == 1  # WeChat made the draft; the answer was lost
    assert _add(server, access_token, thumb) in server.drafts  # the next call is answered


# --- violations -------------------------------------------------------------------------------------


def test_stripped_markup_is_accepted_but_recorded(server):
    access_token = token(server)
    thumb = cover(server, access_token)
    content = (
        '<p class="lead" onclick="x()">正文</p><script>alert(1)</script>'
        '<img src="https://kepu.example.cn/media/a.jpg"><img src="http://mmbiz.qpic.cn/mmbiz_jpg/abc/0">'
    )
    answer = post_json(
        server,
        "/cgi-bin/draft/add",
        {"articles": [article(thumb, content=content)]},
        access_token=access_token,
    )
    assert answer["media_id"] in server.drafts
    text = "\n".join(server.violations)
    assert "<script>" in text and "onclick=" in text and "class=" in text
    assert "kepu.example.cn/media/a.jpg" in text and "mmbiz.qpic.cn" not in text


def test_unicode_escaped_json_is_recorded_and_stored_literally(server):
    access_token = token(server)
    thumb = cover(server, access_token)
    # Escaped, the 4-character author "鄂州科协" is 24 characters: over WeChat's 16, as it is at WeChat.
    escaped_author = post_json(
        server,
        "/cgi-bin/draft/add",
        {"articles": [article(thumb)]},
        ensure_ascii=True,
        access_token=access_token,
    )
    assert escaped_author["errcode"] == 45110
    answer = post_json(
        server,
        "/cgi-bin/draft/add",
        {"articles": [article(thumb, title="科普", author="KPEZ")]},
        ensure_ascii=True,
        access_token=access_token,
    )
    stored = server.drafts[answer["media_id"]][0]
    assert stored["title"] == "\\u79d1\\u666e"  # what WeChat would show as the title
    assert server.requests[-1].json["articles"][0]["title"] == "科普"  # what the client meant
    assert any("\\u79d1 (科)" in problem and "ensure_ascii=False" in problem for problem in server.violations)

    # Escaped, a 12-character Chinese title exceeds 32 characters, as it does at WeChat.
    too_long = post_json(
        server,
        "/cgi-bin/draft/add",
        {"articles": [article(thumb, title="防" * 12, author="KPEZ")]},
        ensure_ascii=True,
        access_token=access_token,
    )
    assert too_long["errcode"] == 45003


def test_fixture_points_settings_at_the_fake(fake_wechat, wechat_aes_key):
    assert django_settings.WECHAT_API_BASE == fake_wechat.base_url
    assert django_settings.WECHAT_APP_ID == "wx_test_app"
    assert django_settings.WECHAT_TOKEN == "test-token" and django_settings.WECHAT_AES_KEY == ""
    assert len(wechat_aes_key) == 43 and len(base64.b64decode(wechat_aes_key + "=")) == 32


# --- vectors ----------------------------------------------------------------------------------------


def _sorted_sha1(*parts: str) -> str:
    return hashlib.sha1("".join(sorted(parts)).encode("utf-8")).hexdigest()


def _aes(encoding_key: str):
    key = base64.b64decode(encoding_key + "=")
    assert len(key) == 32
    return Cipher(algorithms.AES(key), modes.CBC(key[:16]))


def _decrypt(encoding_key: str, encrypted: str) -> tuple[bytes, str, str]:
    decryptor = _aes(encoding_key).decryptor()
    plain = decryptor.update(base64.b64decode(encrypted)) + decryptor.finalize()
    pad = plain[-1]
    assert 1 <= pad <= 32 and plain.endswith(bytes([pad]) * pad)
    body = plain[16:-pad]
    (length,) = struct.unpack(">I", body[:4])
    return plain[:16], body[4 : 4 + length].decode("utf-8"), body[4 + length :].decode("utf-8")


def _encrypt(encoding_key: str, random_prefix: bytes, text: str, receiver: str) -> str:
    data = text.encode("utf-8")
    plain = random_prefix + struct.pack(">I", len(data)) + data + receiver.encode("utf-8")
    pad = 32 - len(plain) % 32
    plain += bytes([pad]) * pad
    encryptor = _aes(encoding_key).encryptor()
    return base64.b64encode(encryptor.update(plain) + encryptor.finalize()).decode("ascii")


def test_plain_and_jsapi_vectors():
    assert _sorted_sha1(v.PLAIN_TOKEN, v.PLAIN_TIMESTAMP, v.PLAIN_NONCE) == v.PLAIN_SIGNATURE
    assert hashlib.sha1(v.JSAPI_STRING1.encode()).hexdigest() == v.JSAPI_SIGNATURE
    assert _sorted_sha1(v.AES_TOKEN, v.AES_TIMESTAMP, v.AES_NONCE) == v.AES_PLAIN_SIGNATURE


def test_official_account_aes_vector():
    assert _sorted_sha1(v.AES_TOKEN, v.AES_TIMESTAMP, v.AES_NONCE, v.AES_ENCRYPT) == v.AES_MSG_SIGNATURE
    assert f"<Encrypt><![CDATA[{v.AES_ENCRYPT}]]></Encrypt>" in v.AES_POST_XML
    prefix, xml, appid = _decrypt(v.AES_ENCODING_KEY, v.AES_ENCRYPT)
    assert (prefix, xml, appid) == (v.AES_RANDOM_PREFIX, v.AES_PLAINTEXT_XML, v.AES_APPID)
    assert _encrypt(v.AES_ENCODING_KEY, prefix, xml, appid) == v.AES_ENCRYPT


def test_java_sample_deterministic_encryption():
    for reply, expected in ((v.JAVA_REPLY, v.JAVA_REPLY_ENCRYPTED), (v.JAVA_REPLY2, v.JAVA_REPLY2_ENCRYPTED)):
        assert _encrypt(v.JAVA_ENCODING_KEY, v.JAVA_RANDOM_PREFIX, reply, v.JAVA_APPID) == expected
        assert _decrypt(v.JAVA_ENCODING_KEY, expected) == (v.JAVA_RANDOM_PREFIX, reply, v.JAVA_APPID)


def test_wecom_vectors():
    verify = (v.WECOM_TOKEN, v.WECOM_VERIFY_TIMESTAMP, v.WECOM_VERIFY_NONCE, v.WECOM_VERIFY_ECHOSTR)
    assert _sorted_sha1(*verify) == v.WECOM_VERIFY_MSG_SIGNATURE
    assert _decrypt(v.WECOM_ENCODING_KEY, v.WECOM_VERIFY_ECHOSTR)[1:] == (
        v.WECOM_ECHOSTR_PLAIN,
        v.WECOM_CORPID,
    )
    message = (v.WECOM_TOKEN, v.WECOM_TIMESTAMP, v.WECOM_NONCE, v.WECOM_ENCRYPT)
    assert _sorted_sha1(*message) == v.WECOM_MSG_SIGNATURE
    assert _decrypt(v.WECOM_ENCODING_KEY, v.WECOM_ENCRYPT)[1:] == (v.WECOM_PLAINTEXT_XML, v.WECOM_CORPID)
