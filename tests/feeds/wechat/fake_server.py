"""A local, protocol-faithful stand-in for the WeChat official-account API (stdlib only).

It speaks real HTTP, so the production client is tested through its own transport::

    server = FakeWeChat(app_id="wx_test_app", app_secret="test-secret")
    server.start()          # binds 127.0.0.1 on a free port
    server.base_url         # "http://127.0.0.1:PORT" → settings.WECHAT_API_BASE
    ...
    server.stop()

What it copies from WeChat (developers.weixin.qq.com, 公众号/服务号 API pages):

* every answer is HTTP 200 with JSON; failures are ``{"errcode": N, "errmsg": "…"}``, and like the real
  thing ``errmsg`` ends with `` rid: …`` — compare ``errcode``, never the whole ``errmsg``;
* ``?access_token=`` endpoints: absent → 41001 access_token missing; unknown or superseded → 40001;
  expired → 42001. ``fail_next`` injections come before all of that;
* ``stable_token`` normal mode hands out the *same* token while it is valid (a fresh one only in its last
  five minutes, the old one staying valid); ``force_refresh: true`` mints a new one and the previous one
  stops working at once (40001). WeChat limits force refresh to 20 a day, 30 s apart: a second force refresh
  within 30 s is recorded as a violation. ``GET /cgi-bin/token`` mints a token per call (earlier ones stay
  valid — WeChat keeps them for a five-minute overlap);
* uploads are multipart ``media``; WeChat decides the type from the file name's extension (no or wrong
  extension → 40005) and we also check the magic bytes;
* ``draft/add`` / ``draft/update`` validate like WeChat (see ``_check_article``). Things WeChat accepts but
  silently strips or mangles are accepted here too and described in ``violations``. A JSON body with
  ``\\uXXXX`` escapes for non-ASCII text is stored with the escapes *literally* (and length-checked that
  way), as WeChat does; ``requests[i].json`` still holds the properly decoded body the client sent;
* a submitted draft leaves the draft box (later ``draft/get`` / ``draft/update`` / ``freepublish/submit``
  on it → 40007, and ``draft/batchget`` no longer lists it). If the publish job fails we put it back
  (assumption: not stated in WeChat's docs);
* ``draft/batchget`` / ``freepublish/batchget``: ``offset`` ≥ 0 and ``count`` 1..20 (JSON integers),
  answering ``total_count`` (all items), ``item_count`` and ``item``; ``no_content: 1`` leaves out each
  article's ``content`` (the HTML). Drafts carry ``media_id``, ``content.news_item`` (each with its
  temporary ``url``) and ``update_time`` (whole seconds, set by draft/add and draft/update); published
  items carry ``article_id``, ``content.news_item`` (with ``url`` and ``is_deleted``) and ``update_time``.
  Only successfully published jobs are listed (WeChat: 获取成功发布列表);
* ``freepublish/get``: ``publish_status`` 1 for the first ``publish_polls_before_done`` polls, then 0 with
  ``article_id`` / ``article_detail``, or the failure status set with ``fail_publish``. On WeChat a job
  ends by itself; here it ends when polled, or when a test calls ``publish_jobs_finish()``.

Test controls: ``fail_next`` (an error answer first), ``drop_answer_next`` (do the work, then close the
connection without answering: an answer lost on the way back), ``expire_tokens``,
``publish_jobs_finish``; ``draft_times`` may be set to age a draft.

Assumptions where the docs say nothing (kept deliberately few): an unknown ``publish_id`` → 40007; a bad
``index`` in draft/update, a bad ``offset``/``count`` in a batchget or an unsupported ticket ``type`` →
40097 invalid args; both lists are newest first (drafts by ``update_time``, published articles by the
time the job ended), ties in the same second newest first.
"""

from __future__ import annotations

import json
import re
import secrets
import threading
import time
from dataclasses import dataclass, field
from email import policy
from email.parser import HeaderParser
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

ERRMSG = {
    -1: "system error",
    40001: "invalid credential, access_token is invalid or not latest",
    40002: "invalid grant_type",
    40004: "invalid media type",
    40005: "invalid file type",
    40007: "invalid media_id",
    40009: "invalid image size",
    40013: "invalid appid",
    40097: "invalid args",
    40125: "invalid appsecret",
    41001: "access_token missing",
    41002: "appid missing",
    41004: "appsecret missing",
    41005: "media data missing",
    42001: "access_token expired",
    43001: "require GET method",
    43002: "require POST method",
    44003: "empty news data",
    44004: "empty content",
    45002: "content size out of limit",
    45003: "title size out of limit",
    45004: "description size out of limit",
    45009: "reach max api daily quota limit",
    45011: "api minute-quota reach limit  mustslower  retry next minute",
    45110: "author size out of limit",
    47001: "data format error",
    48001: "api unauthorized",
    53503: "该草稿未通过发布检查",
}

MB = 1024 * 1024
TITLE_MAX, AUTHOR_MAX, DIGEST_MAX = 32, 16, 128
CONTENT_MAX_CHARS, CONTENT_MAX_BYTES = 20_000, MB
BODY_IMAGE_MAX = MB  # uploadimg: "大小必须在1MB以下"
MATERIAL_IMAGE_MAX = 10 * MB  # add_material type=image
THUMB_MAX = 64 * 1024  # add_material type=thumb

ARTICLE_FIELDS = {
    "article_type",
    "title",
    "author",
    "digest",
    "content",
    "content_source_url",
    "thumb_media_id",
    "need_open_comment",
    "only_fans_can_comment",
    "pic_crop_235_1",
    "pic_crop_1_1",
    "image_info",
    "cover_info",
    "product_info",
    "show_cover_pic",  # pre-draft-box field, still accepted
}
STRIPPED_TAGS = {
    "script",
    "style",
    "iframe",
    "form",
    "input",
    "link",
    "button",
    "select",
    "textarea",
    "embed",
    "object",
    "meta",
}
WECHAT_IMAGE_HOSTS = ("mmbiz.qpic.cn", "mmbiz.qlogo.cn")
ARTICLE_LINK_HOSTS = ("mp.weixin.qq.com",)
BATCHGET_MAX = 20  # draft/batchget, freepublish/batchget: "取值在1到20之间"

# An unescaped \uXXXX in a JSON text (an odd run of backslashes before the "u").
_JSON_U_ESCAPE = re.compile(rb"(?<!\\)((?:\\\\)*)\\u([0-9a-fA-F]{4})")


@dataclass(frozen=True)
class Request:
    """One request as the server saw it. ``json`` is the body decoded normally (None if not JSON)."""

    method: str
    path: str
    query: dict
    json: dict | None
    files: dict  # name -> (filename, content_type, bytes)
    raw_body: bytes
    form: dict = field(default_factory=dict)  # non-file multipart fields
    headers: dict = field(default_factory=dict)


class _Fail(Exception):
    def __init__(self, errcode: int, errmsg: str | None = None):
        super().__init__(errcode)
        self.errcode = errcode
        self.errmsg = errmsg or ERRMSG.get(errcode, "error")


def _rid() -> str:
    return "-".join(secrets.token_hex(4) for _ in range(3))


def _image_kind(data: bytes) -> str | None:
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if data.startswith(b"BM"):
        return "bmp"
    return None


def _extension(filename: str | None) -> str:
    if not filename or "." not in filename:
        return ""
    return filename.rsplit(".", 1)[1].lower()


def _random_path(n: int = 54) -> str:
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    return "".join(secrets.choice(alphabet) for _ in range(n))


def _parse_multipart(content_type: str, body: bytes) -> tuple[dict, dict]:
    """(files, form) from a multipart/form-data body; byte-exact for file contents."""
    header = HeaderParser(policy=policy.HTTP).parsestr(f"Content-Type: {content_type}\r\n\r\n")
    boundary = header.get_param("boundary")
    if header.get_content_type() != "multipart/form-data" or not boundary:
        return {}, {}
    files, form = {}, {}
    delimiter = b"--" + boundary.encode("latin-1")
    for chunk in body.split(delimiter)[1:]:
        if chunk.startswith(b"--"):  # closing delimiter
            break
        chunk = chunk[2:] if chunk.startswith(b"\r\n") else chunk
        head, sep, content = chunk.partition(b"\r\n\r\n")
        if not sep:
            continue
        if content.endswith(b"\r\n"):
            content = content[:-2]
        part = HeaderParser(policy=policy.HTTP).parsestr(head.decode("utf-8", "replace") + "\r\n\r\n")
        disposition = part.get("Content-Disposition")
        if disposition is None:
            continue
        name = disposition.params.get("name")
        filename = part.get_filename()
        if filename is not None:
            declared = part.get_content_type() if part.get("Content-Type") else None
            files[name] = (filename, declared, content)
        else:
            form[name] = content.decode("utf-8", "replace")
    return files, form


class _ContentScanner(HTMLParser):
    """Collects what WeChat would strip or filter from an article body."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def _note(self, problem: str):
        if problem not in self.problems:
            self.problems.append(problem)

    def handle_starttag(self, tag, attrs):
        if tag in STRIPPED_TAGS:
            self._note(f"<{tag}> element (WeChat strips it)")
        for name, value in attrs:
            if name.startswith("on"):
                self._note(f"event attribute {name}= on <{tag}> (WeChat strips scripts)")
            elif name == "class":
                self._note(f"class= attribute on <{tag}> (WeChat drops external CSS; use inline style)")
            elif name in ("href", "src") and (value or "").strip().lower().startswith("javascript:"):
                self._note(f"javascript: URL in <{tag} {name}=> (WeChat strips scripts)")
        attributes = dict(attrs)
        if tag == "img":
            src = (attributes.get("src") or "").strip()
            host = (urlsplit(src).hostname or "") if src else ""
            if not any(host == h or host.endswith("." + h) for h in WECHAT_IMAGE_HOSTS):
                shown = src[:80] or "(no src)"
                self._note(
                    f"<img src={shown}> is not a WeChat-hosted image (WeChat filters it out; use uploadimg)"
                )
        if tag == "a" and attributes.get("href"):
            href = attributes["href"].strip()
            host = urlsplit(href).hostname or ""
            if not href.startswith("#") and host not in ARTICLE_LINK_HOSTS:
                self._note(
                    f"<a href={href[:80]}> links outside mp.weixin.qq.com (WeChat drops the link; "
                    "use content_source_url)"
                )

    handle_startendtag = handle_starttag


def _valid_crop(value) -> bool:
    if not isinstance(value, str):
        return False
    parts = value.split("_")
    if len(parts) != 4:
        return False
    try:
        x1, y1, x2, y2 = (float(p) for p in parts)
    except ValueError:
        return False
    return all(0 <= v <= 1 for v in (x1, y1, x2, y2)) and x1 < x2 and y1 < y2


def _check_article_texts(article: dict) -> None:
    """Title, author and digest within WeChat's limits, or its error."""
    title = article.get("title")
    if not isinstance(title, str) or not title or len(title) > TITLE_MAX:
        raise _Fail(45003)
    author = article.get("author", "")
    if author and len(str(author)) > AUTHOR_MAX:
        raise _Fail(45110)
    digest = article.get("digest", "")
    if digest and len(str(digest)) > DIGEST_MAX:
        raise _Fail(45004)


def _content_problems(content: str) -> list[str]:
    """Raise for a body over WeChat's size limits; list what it would strip or mangle in it."""
    if len(content) >= CONTENT_MAX_CHARS or len(content.encode("utf-8")) >= CONTENT_MAX_BYTES:
        raise _Fail(45002)
    scanner = _ContentScanner()
    scanner.feed(content)
    scanner.close()
    return scanner.problems


def _article_option_problems(article: dict) -> list[str]:
    """What WeChat would mangle in the comment flags, cover crops and source URL."""
    problems = []
    for flag in ("need_open_comment", "only_fans_can_comment"):
        if flag in article and (isinstance(article[flag], bool) or article[flag] not in (0, 1)):
            problems.append(f"{flag} should be 0 or 1, got {article[flag]!r}")
    for crop in ("pic_crop_235_1", "pic_crop_1_1"):
        if article.get(crop) not in (None, "") and not _valid_crop(article[crop]):
            problems.append(f"{crop} should be 'X1_Y1_X2_Y2' with 0..1 coordinates, got {article[crop]!r}")
    source = article.get("content_source_url")
    if source and urlsplit(str(source)).scheme not in ("http", "https"):
        problems.append(f"content_source_url is not an http(s) URL: {source!r}")
    return problems


class FakeWeChat:
    def __init__(
        self,
        app_id: str = "wx_test_app",
        app_secret: str = "test-secret",
        publish_polls_before_done: int = 1,
        token_ttl: int = 7200,
    ):
        self.app_id = app_id
        self.app_secret = app_secret
        self.publish_polls_before_done = publish_polls_before_done
        self.token_ttl = token_ttl
        # What tests read.
        self.requests: list[Request] = []
        self.tokens_issued = (
            0  # successful token answers (a reused stable token counts each time it is handed out)
        )
        self.tickets_issued = 0
        self.images: list[dict] = []
        self.materials: dict[str, dict] = {}
        self.drafts: dict[str, list[dict]] = {}
        self.draft_times: dict[str, int] = {}  # media_id -> update_time (Unix seconds)
        self.publishes: dict[str, dict] = {}
        self.violations: list[str] = []
        # Knobs tests set.
        self.fail_publish: bool | int = False  # True → 3 (常规失败); or a status 2..6
        self.numeric_publish_ids = False  # True: publish_id as a JSON number, as some accounts get it
        # Internal state.
        self._lock = threading.RLock()
        self._tokens: dict[str, dict] = {}  # token -> {"expires_at", "expired", "revoked", "kind"}
        self._stable_token: str | None = None
        self._last_force_refresh: float | None = None
        self._ticket: tuple[str, float] | None = None
        self._failures: dict[str, list[tuple[int, str | None]]] = {}
        self._dropped_answers: dict[str, int] = {}
        self._draft_urls: dict[str, str] = {}
        self._sequence = 0  # orders changes made within the same second
        self._draft_seq: dict[str, int] = {}
        self._consumed_drafts: set[str] = set()
        self._next_publish_id = 2247483649
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._routes = {
            "/cgi-bin/token": ("GET", False, self._token),
            "/cgi-bin/stable_token": ("POST", False, self._stable_token_endpoint),
            "/cgi-bin/ticket/getticket": ("GET", True, self._getticket),
            "/cgi-bin/media/uploadimg": ("POST", True, self._uploadimg),
            "/cgi-bin/material/add_material": ("POST", True, self._add_material),
            "/cgi-bin/draft/add": ("POST", True, self._draft_add),
            "/cgi-bin/draft/update": ("POST", True, self._draft_update),
            "/cgi-bin/draft/get": ("POST", True, self._draft_get),
            "/cgi-bin/draft/batchget": ("POST", True, self._draft_batchget),
            "/cgi-bin/freepublish/submit": ("POST", True, self._publish_submit),
            "/cgi-bin/freepublish/get": ("POST", True, self._publish_get),
            "/cgi-bin/freepublish/batchget": ("POST", True, self._publish_batchget),
        }

    # --- lifecycle -----------------------------------------------------------------------------

    def start(self) -> FakeWeChat:
        handler = type("Handler", (_Handler,), {"fake": self})
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, args=(0.05,), name="fake-wechat", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._thread.join(timeout=5)
            self._httpd = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    # --- test controls -------------------------------------------------------------------------

    def fail_next(self, path: str, errcode: int, errmsg: str | None = None, times: int = 1) -> None:
        """The next ``times`` calls to ``path`` answer ``errcode`` (before any other check)."""
        with self._lock:
            self._failures.setdefault(path, []).extend([(errcode, errmsg)] * times)

    def drop_answer_next(self, path: str, times: int = 1) -> None:
        """The next ``times`` calls to ``path`` are carried out, but the connection is closed instead of
        answering — as when the answer is lost on its way back (the client sees a broken connection)."""
        with self._lock:
            self._dropped_answers[path] = self._dropped_answers.get(path, 0) + times

    def publish_jobs_finish(self) -> None:
        """Every publish job still running ends now (success, or ``fail_publish``), as on WeChat in time."""
        with self._lock:
            for job in self.publishes.values():
                if job["status"] == 1:
                    self._publish_job_end(job)

    def draft_box(self) -> list[str]:
        """media_ids in the draft box, newest first (the order draft/batchget lists them)."""
        with self._lock:
            box = [m for m in self.drafts if m not in self._consumed_drafts]
            return sorted(box, key=lambda m: (self.draft_times[m], self._draft_seq[m]), reverse=True)

    def expire_tokens(self) -> None:
        """Every access token issued so far now answers 42001."""
        with self._lock:
            for info in self._tokens.values():
                info["expired"] = True

    def calls(self, path: str) -> list[Request]:
        return [r for r in self.requests if r.path == path]

    def publish_event_xml(self, publish_id: str, to_user: str = "gh_test_account") -> str:
        """The PUBLISHJOBFINISH event WeChat would push to the callback URL for a finished job."""
        with self._lock:
            job = self.publishes[str(publish_id)]
            status = job["status"]
            lines = [
                f"<publish_id>{publish_id}</publish_id>",
                f"<publish_status>{status}</publish_status>",
            ]
            if status == 0:
                items = "".join(
                    f"<item><idx>{i}</idx><article_url><![CDATA[{url}]]></article_url></item>"
                    for i, url in enumerate(job["article_urls"], start=1)
                )
                lines.append(f"<article_id><![CDATA[{job['article_id']}]]></article_id>")
                lines.append(
                    f"<article_detail><count>{len(job['article_urls'])}</count>{items}</article_detail>"
                )
            else:
                lines.extend(f"<fail_idx>{i}</fail_idx>" for i in job["fail_idx"])
        return (
            f"<xml><ToUserName><![CDATA[{to_user}]]></ToUserName>"
            "<FromUserName><![CDATA[oFakeSystemOpenId]]></FromUserName>"
            f"<CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[event]]></MsgType>"
            "<Event><![CDATA[PUBLISHJOBFINISH]]></Event>"
            f"<PublishEventInfo>{''.join(lines)}</PublishEventInfo></xml>"
        )

    # --- dispatch ------------------------------------------------------------------------------

    def _dispatch(self, method: str, target: str, headers: dict, body: bytes) -> tuple[int, bytes, str]:
        split = urlsplit(target)
        path = split.path
        query = {k: v[-1] for k, v in parse_qs(split.query, keep_blank_values=True).items()}
        content_type = {k.lower(): v for k, v in headers.items()}.get("content-type", "")
        files, form, parsed = {}, {}, None
        if content_type.lower().startswith("multipart/"):
            files, form = _parse_multipart(content_type, body)
        elif body:
            try:
                parsed = json.loads(body.decode("utf-8"))
            except (UnicodeDecodeError, ValueError):
                parsed = None
        request = Request(method, path, query, parsed, files, body, form, dict(headers))
        with self._lock:
            self.requests.append(request)
            route = self._routes.get(path)
            if route is None:
                return 404, b"404 Not Found", "text/plain; charset=utf-8"
            allowed, needs_token, handler = route
            try:
                queued = self._failures.get(path)
                if queued:
                    raise _Fail(*queued.pop(0))
                if method != allowed:
                    raise _Fail(43002 if allowed == "POST" else 43001)
                if needs_token:
                    self._check_token(query.get("access_token"))
                answer = handler(request)
            except _Fail as fail:
                answer = {"errcode": fail.errcode, "errmsg": f"{fail.errmsg} rid: {_rid()}"}
            if self._dropped_answers.get(path):
                self._dropped_answers[path] -= 1
                return 0, b"", ""  # the handler closes the connection without answering
        payload = json.dumps(answer, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        return 200, payload, "application/json; charset=utf-8"

    def _json_body(self, request: Request, where: str) -> dict:
        """The body as WeChat reads it: non-ASCII \\uXXXX escapes stay literal (and are reported)."""
        body = request.raw_body
        escaped = [m for m in _JSON_U_ESCAPE.finditer(body) if int(m.group(2), 16) >= 0x80]
        if escaped:
            sample = ", ".join(
                f"\\u{m.group(2).decode()} ({chr(int(m.group(2), 16))})"
                for m in escaped[:3]
                if not 0xD800 <= int(m.group(2), 16) <= 0xDFFF
            )
            self.violations.append(
                f"{where}: JSON body has {len(escaped)} \\uXXXX escape(s) for non-ASCII text ({sample}); "
                "WeChat stores them literally — send UTF-8 (json.dumps(..., ensure_ascii=False))"
            )

            def keep_literal(m):
                if int(m.group(2), 16) < 0x80:
                    return m.group(0)
                return m.group(1) + b"\\\\u" + m.group(2)

            body = _JSON_U_ESCAPE.sub(keep_literal, body)
        try:
            data = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise _Fail(47001) from exc
        if not isinstance(data, dict):
            raise _Fail(47001)
        return data

    # --- tokens --------------------------------------------------------------------------------

    def _mint_token(self, kind: str) -> str:
        token = f"{secrets.token_urlsafe(96)}"[:128]
        self._tokens[token] = {
            "expires_at": time.time() + self.token_ttl,
            "expired": False,
            "revoked": False,
            "kind": kind,
        }
        return token

    def _token_usable(self, token: str | None) -> bool:
        info = self._tokens.get(token) if token else None
        return bool(info) and not info["revoked"] and not info["expired"] and time.time() < info["expires_at"]

    def _check_token(self, token: str | None) -> None:
        if not token:
            raise _Fail(41001)
        info = self._tokens.get(token)
        if info is None or info["revoked"]:
            raise _Fail(40001)
        if info["expired"] or time.time() >= info["expires_at"]:
            raise _Fail(42001)

    def _check_credentials(self, grant_type, appid, secret) -> None:
        if grant_type != "client_credential":
            raise _Fail(40002)
        if not appid:
            raise _Fail(41002)
        if not secret:
            raise _Fail(41004)
        if appid != self.app_id:
            raise _Fail(40013)
        if secret != self.app_secret:
            raise _Fail(40125)

    def _token_answer(self, token: str) -> dict:
        self.tokens_issued += 1
        remaining = round(self._tokens[token]["expires_at"] - time.time())
        return {"access_token": token, "expires_in": max(min(remaining, self.token_ttl), 0)}

    def _token(self, request: Request) -> dict:
        q = request.query
        self._check_credentials(q.get("grant_type"), q.get("appid"), q.get("secret"))
        return self._token_answer(self._mint_token("token"))

    def _stable_token_endpoint(self, request: Request) -> dict:
        data = self._json_body(request, "stable_token")
        self._check_credentials(data.get("grant_type"), data.get("appid"), data.get("secret"))
        force = data.get("force_refresh", False)
        if not isinstance(force, bool):
            self.violations.append(f"stable_token: force_refresh should be a JSON boolean, got {force!r}")
            force = bool(force)
        now = time.time()
        current = self._stable_token
        if force:
            if self._last_force_refresh is not None and now - self._last_force_refresh < 30:
                self.violations.append(
                    "stable_token: force_refresh twice within 30 s (WeChat allows 20 a day, 30 s apart)"
                )
            self._last_force_refresh = now
            if current:
                self._tokens[current]["revoked"] = True
            current = None
        elif current and self._token_usable(current):
            if self._tokens[current]["expires_at"] - now > 300:
                return self._token_answer(current)
            # In its last five minutes WeChat already hands out the next token; the old one stays valid.
        self._stable_token = self._mint_token("stable")
        return self._token_answer(self._stable_token)

    def _getticket(self, request: Request) -> dict:
        kind = request.query.get("type")
        if kind not in ("jsapi", "wx_card"):
            raise _Fail(40097)
        if self._ticket is None or time.time() >= self._ticket[1]:
            self._ticket = (secrets.token_urlsafe(64)[:86], time.time() + 7200)
        self.tickets_issued += 1
        return {"errcode": 0, "errmsg": "ok", "ticket": self._ticket[0], "expires_in": 7200}

    # --- uploads -------------------------------------------------------------------------------

    def _media_part(self, request: Request) -> tuple[str, str | None, bytes]:
        part = request.files.get("media")
        if part is None:
            raise _Fail(41005)
        return part

    def _uploadimg(self, request: Request) -> dict:
        filename, declared, data = self._media_part(request)
        kind = _image_kind(data)
        if _extension(filename) not in ("jpg", "jpeg", "png") or kind not in ("jpeg", "png"):
            raise _Fail(40005)
        if len(data) >= BODY_IMAGE_MAX:
            raise _Fail(40009)
        fmt = "png" if kind == "png" else "jpg"
        url = f"http://mmbiz.qpic.cn/mmbiz_{fmt}/{_random_path()}/0"
        self.images.append(
            {
                "url": url,
                "bytes": data,
                "content_type": f"image/{kind}",
                "filename": filename,
                "declared": declared,
            }
        )
        return {"url": url}

    def _add_material(self, request: Request) -> dict:
        kind_param = request.query.get("type")
        filename, declared, data = self._media_part(request)
        kind = _image_kind(data)
        if kind_param == "image":
            allowed_ext, allowed_kinds, limit = (
                ("bmp", "png", "jpeg", "jpg", "gif"),
                ("bmp", "png", "jpeg", "gif"),
                MATERIAL_IMAGE_MAX,
            )
        elif kind_param == "thumb":
            allowed_ext, allowed_kinds, limit = ("jpg", "jpeg"), ("jpeg",), THUMB_MAX
        else:  # voice/video are real types but not emulated here
            raise _Fail(40004)
        if _extension(filename) not in allowed_ext or kind not in allowed_kinds:
            raise _Fail(40005)
        if len(data) > limit:
            raise _Fail(40009)
        fmt = {"jpeg": "jpg"}.get(kind, kind)
        media_id = secrets.token_urlsafe(48)[:64]
        url = f"http://mmbiz.qpic.cn/mmbiz_{fmt}/{_random_path()}/0?wx_fmt={fmt}"
        self.materials[media_id] = {
            "bytes": data,
            "content_type": f"image/{kind}",
            "url": url,
            "type": kind_param,
            "filename": filename,
        }
        return {"media_id": media_id, "url": url}

    # --- drafts --------------------------------------------------------------------------------

    def _check_article(self, article, where: str) -> list[str]:
        """Raise like WeChat for what it rejects; return what it would silently strip or mangle."""
        if not isinstance(article, dict):
            raise _Fail(47001)
        problems = [
            f"unknown field {key!r} (WeChat ignores it)" for key in article if key not in ARTICLE_FIELDS
        ]
        _check_article_texts(article)
        self._check_article_media(article)
        content = article.get("content")
        if isinstance(content, str):
            problems.extend(_content_problems(content))
        problems.extend(_article_option_problems(article))
        return [f"{where}: {p}" for p in problems]

    def _check_article_media(self, article: dict) -> None:
        """A newspic needs images among our materials; any other article a body and a known cover."""
        if article.get("article_type", "news") == "newspic":
            images = (article.get("image_info") or {}).get("image_list") or []
            if not images or any(i.get("image_media_id") not in self.materials for i in images):
                raise _Fail(40007)
        else:
            content = article.get("content")
            if not isinstance(content, str) or not content.strip():
                raise _Fail(44004)
            if article.get("thumb_media_id") not in self.materials:
                raise _Fail(40007)

    def _draft_touch(self, media_id: str) -> None:
        self._sequence += 1
        self._draft_seq[media_id] = self._sequence
        self.draft_times[media_id] = int(time.time())

    def _draft_add(self, request: Request) -> dict:
        data = self._json_body(request, "draft/add")
        articles = data.get("articles")
        if not isinstance(articles, list) or not articles:
            raise _Fail(44003)
        problems = []
        for i, article in enumerate(articles, start=1):
            problems += self._check_article(article, f"draft/add article {i}")
        media_id = secrets.token_urlsafe(48)[:64]
        self.drafts[media_id] = [dict(a) for a in articles]
        self._draft_urls[media_id] = f"http://mp.weixin.qq.com/s?__biz=MzFake&tempkey={_random_path(32)}"
        self._draft_touch(media_id)
        self.violations.extend(problems)
        return {"media_id": media_id}

    def _draft_update(self, request: Request) -> dict:
        data = self._json_body(request, "draft/update")
        media_id = data.get("media_id")
        if media_id not in self.drafts or media_id in self._consumed_drafts:
            raise _Fail(40007)
        index = data.get("index")
        if (
            isinstance(index, bool)
            or not isinstance(index, int)
            or not 0 <= index < len(self.drafts[media_id])
        ):
            raise _Fail(40097)
        article = data.get("articles")
        problems = self._check_article(article, f"draft/update {media_id[:8]}… index {index}")
        self.drafts[media_id][index] = dict(article)
        self._draft_touch(media_id)
        self.violations.extend(problems)
        return {"errcode": 0, "errmsg": "ok"}

    def _news_items(self, articles: list[dict], urls: list[str], *, no_content: bool, **extra) -> list[dict]:
        items = []
        for article, url in zip(articles, urls, strict=True):
            item = {key: value for key, value in article.items() if not (no_content and key == "content")}
            items.append({**item, "url": url, **extra})
        return items

    def _draft_news(self, media_id: str, *, no_content: bool) -> list[dict]:
        articles = self.drafts[media_id]
        urls = [f"{self._draft_urls[media_id]}&idx={i}" for i in range(1, len(articles) + 1)]
        return self._news_items(articles, urls, no_content=no_content)

    def _draft_get(self, request: Request) -> dict:
        data = self._json_body(request, "draft/get")
        media_id = data.get("media_id")
        if media_id not in self.drafts or media_id in self._consumed_drafts:
            raise _Fail(40007)
        return {"news_item": self._draft_news(media_id, no_content=False)}

    @staticmethod
    def _page_args(data: dict) -> tuple[int, int, bool]:
        offset, count = data.get("offset"), data.get("count")
        for value in (offset, count):
            if isinstance(value, bool) or not isinstance(value, int):
                raise _Fail(40097)
        if offset < 0 or not 1 <= count <= BATCHGET_MAX:
            raise _Fail(40097)
        return offset, count, data.get("no_content") == 1

    def _draft_batchget(self, request: Request) -> dict:
        offset, count, no_content = self._page_args(self._json_body(request, "draft/batchget"))
        box = self.draft_box()
        items = [
            {
                "media_id": media_id,
                "content": {"news_item": self._draft_news(media_id, no_content=no_content)},
                "update_time": self.draft_times[media_id],
            }
            for media_id in box[offset : offset + count]
        ]
        return {"total_count": len(box), "item_count": len(items), "item": items}

    # --- publishing ----------------------------------------------------------------------------

    def _publish_id_out(self, publish_id: str):
        return int(publish_id) if self.numeric_publish_ids else publish_id

    def _publish_submit(self, request: Request) -> dict:
        data = self._json_body(request, "freepublish/submit")
        media_id = data.get("media_id")
        if media_id not in self.drafts or media_id in self._consumed_drafts:
            raise _Fail(40007)
        publish_id = str(self._next_publish_id)
        self._next_publish_id += 1
        msg_data_id = str(self._next_publish_id + 100_000)
        self._consumed_drafts.add(media_id)
        self.publishes[publish_id] = {
            "media_id": media_id,
            "polls": 0,
            "status": 1,
            "msg_data_id": msg_data_id,
            "articles": [dict(a) for a in self.drafts[media_id]],
            "article_id": None,
            "article_urls": [],
            "fail_idx": [],
        }
        return {
            "errcode": 0,
            "errmsg": "ok",
            "publish_id": self._publish_id_out(publish_id),
            "msg_data_id": msg_data_id,
        }

    def _publish_job_end(self, job: dict) -> None:
        failure = self.fail_publish
        if failure:
            job["status"] = 3 if failure is True else int(failure)
            job["fail_idx"] = [1]
            self._consumed_drafts.discard(job["media_id"])  # assumption: a failed job leaves the draft
        else:
            job["status"] = 0
            job["article_id"] = secrets.token_urlsafe(33)[:44]
            job["article_urls"] = [
                f"https://mp.weixin.qq.com/s/{secrets.token_urlsafe(16)}" for _ in job["articles"]
            ]
            self._sequence += 1
            job["published_at"] = (int(time.time()), self._sequence)

    def _publish_batchget(self, request: Request) -> dict:
        offset, count, no_content = self._page_args(self._json_body(request, "freepublish/batchget"))
        done = sorted(
            (job for job in self.publishes.values() if job["status"] == 0),
            key=lambda job: job["published_at"],
            reverse=True,
        )
        items = []
        for job in done[offset : offset + count]:
            updated = job["published_at"][0]
            news = self._news_items(
                job["articles"], job["article_urls"], no_content=no_content, is_deleted=False
            )
            items.append(
                {
                    "article_id": job["article_id"],
                    "content": {"news_item": news, "create_time": updated, "update_time": updated},
                    "update_time": updated,
                }
            )
        return {"total_count": len(done), "item_count": len(items), "item": items}

    def _publish_get(self, request: Request) -> dict:
        data = self._json_body(request, "freepublish/get")
        publish_id = str(data.get("publish_id", ""))
        job = self.publishes.get(publish_id)
        if job is None:
            raise _Fail(40007)
        job["polls"] += 1
        if job["status"] == 1 and job["polls"] > self.publish_polls_before_done:
            self._publish_job_end(job)
        answer = {"publish_id": self._publish_id_out(publish_id), "publish_status": job["status"]}
        if job["status"] == 0:
            answer["article_id"] = job["article_id"]
            answer["article_detail"] = {
                "count": len(job["article_urls"]),
                "item": [
                    {"idx": i, "article_url": url} for i, url in enumerate(job["article_urls"], start=1)
                ],
            }
            answer["fail_idx"] = []
        elif job["status"] != 1:
            answer["fail_idx"] = list(job["fail_idx"])
        return answer


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "FakeWeChat/1.0"
    fake: FakeWeChat  # set on the subclass made in FakeWeChat.start

    def log_message(self, format, *args):
        pass

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            return b"".join(chunks)
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _handle(self, method: str):
        body = self._read_body()
        status, payload, content_type = self.fake._dispatch(
            method, self.path, dict(self.headers.items()), body
        )
        if not status:  # drop_answer_next: the work is done, the answer never leaves
            self.close_connection = True
            return
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def do_GET(self):
        self._handle("GET")

    def do_POST(self):
        self._handle("POST")
