"""Real-browser fixtures for the kiosk player: Debian's Chromium driven by Playwright, and a Django
live server that a test can stop for real (listening socket and open connections) and start again
on the same port.

Chromium comes from the system (``CHROMIUM_PATH`` or ``chromium`` on PATH), never a Playwright
download. When it or Playwright is missing the tests are skipped locally and fail in CI.
"""

import asyncio
import inspect
import os
import shutil
import socket
import threading
import time

import pytest
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.handlers.wsgi import WSGIHandler
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import connections
from django.test.testcases import QuietWSGIRequestHandler, _MediaFilesHandler
from playwright.async_api import async_playwright

from tests.conftest import IN_CI

HOST = "127.0.0.1"
VIEWPORT = {"width": 1920, "height": 1080}  # the screens' default resolution


def unavailable(reason: str):
    """Skip on a developer's machine; in CI a missing browser is a broken build, not a skip."""
    if IN_CI:
        pytest.fail(f"{reason} (required in CI)", pytrace=False)
    pytest.skip(reason)


def chromium_path() -> str | None:
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
    return path if path and os.access(path, os.X_OK) else None


# --- a live server that really stops ----------------------------------------------------


class _StoppableWSGIServer(ThreadedWSGIServer):
    """Django's threaded test server, plus a record of open connections so stopping cuts them.

    Without that, a browser's keep-alive connection would still be answered by its handler thread
    after the listening socket is closed, and the "server down" would be a lie.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._open = set()
        self._handlers = set()
        self._open_lock = threading.Lock()

    def process_request(self, request, client_address):
        with self._open_lock:
            self._open.add(request)
        super().process_request(request, client_address)

    def process_request_thread(self, request, client_address):
        with self._open_lock:
            self._handlers.add(threading.current_thread())
        try:
            super().process_request_thread(request, client_address)
        finally:
            with self._open_lock:
                self._handlers.discard(threading.current_thread())

    def shutdown_request(self, request):
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def cut_connections(self, timeout: float = 5.0) -> None:
        """Reset every open connection and wait for the handler threads to finish."""
        with self._open_lock:
            sockets, handlers = list(self._open), list(self._handlers)
        for sock in sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        deadline = time.monotonic() + timeout
        for thread in handlers:
            thread.join(max(0.0, deadline - time.monotonic()))


def _serialised(app, lock):
    """Handle one request at a time, response body included, while holding ``lock``.

    On SQLite the test database is in memory and the server threads share the test thread's
    connection; the test takes the same lock around its own queries so the two never interleave
    inside one transaction. (On PostgreSQL the lock is harmless: one browser, a few requests.)
    """

    def application(environ, start_response):
        with lock:
            response = app(environ, start_response)
            try:
                body = b"".join(response)
            finally:
                if hasattr(response, "close"):
                    response.close()
        return [body]

    return application


class _ServerThread(threading.Thread):
    def __init__(self, host, port, lock, connections_override):
        super().__init__(name=f"live-server-{port}", daemon=True)
        self.host, self.port = host, port
        self.lock = lock
        self.connections_override = connections_override
        self.is_ready = threading.Event()
        self.error = None
        self.httpd = None

    def run(self):
        # As LiveServerThread does: an in-memory SQLite database is reachable only through the
        # test thread's connection.
        for alias, conn in self.connections_override.items():
            connections[alias] = conn
        try:
            app = _serialised(StaticFilesHandler(_MediaFilesHandler(WSGIHandler())), self.lock)
            # allow_reuse_address: restarting on the same port must not wait for TIME_WAIT.
            self.httpd = _StoppableWSGIServer(
                (self.host, self.port),
                QuietWSGIRequestHandler,
                allow_reuse_address=True,
                connections_override=self.connections_override,
            )
            self.port = self.httpd.server_address[1]
            self.httpd.set_app(app)
            self.is_ready.set()
            self.httpd.serve_forever(poll_interval=0.1)
        except Exception as exc:  # noqa: BLE001 - handed to the starting thread, which raises it
            self.error = exc
            self.is_ready.set()
        finally:
            connections.close_all()


class StoppableLiveServer:
    """``start()``, ``stop()`` and ``start()`` again on the same port; ``url``; ``lock`` (see above)."""

    def __init__(self, host: str = HOST):
        self.host = host
        self.port = 0
        self.lock = threading.RLock()
        self._thread = None
        self._override = {
            conn.alias: conn
            for conn in connections.all()
            if conn.vendor == "sqlite" and conn.is_in_memory_db()
        }
        for conn in self._override.values():
            conn.inc_thread_sharing()

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def running(self) -> bool:
        return self._thread is not None

    def start(self) -> None:
        assert self._thread is None, "already running"
        thread = _ServerThread(self.host, self.port, self.lock, self._override)
        thread.start()
        if not thread.is_ready.wait(10):
            raise RuntimeError("the live server did not start within 10 s")
        if thread.error:
            raise thread.error
        self._thread, self.port = thread, thread.port

    def stop(self) -> None:
        """Stop accepting, close the listening socket, reset open connections, join every thread."""
        thread, self._thread = self._thread, None
        if thread is None:
            return
        thread.httpd.shutdown()
        thread.httpd.server_close()
        thread.httpd.cut_connections()
        thread.join(5)

    def accepts_connections(self) -> bool:
        try:
            with socket.create_connection((self.host, self.port), timeout=1):
                return True
        except OSError:
            return False

    def close(self) -> None:
        self.stop()
        for conn in self._override.values():
            conn.dec_thread_sharing()


def wait_until(check, *, timeout: float, interval: float = 0.2, lock=None, message: str = ""):
    """Call ``check`` until it returns something truthy (returned), or fail after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while True:
        if lock is not None:
            with lock:
                result = check()
        else:
            result = check()
        if result:
            return result
        if time.monotonic() >= deadline:
            pytest.fail(message or f"condition not met within {timeout} s", pytrace=False)
        time.sleep(interval)


# --- Playwright, off the test thread -------------------------------------------------------


class _Bridge:
    """Playwright's async API on an event loop in a thread of its own, called synchronously.

    Not Playwright's sync API: that runs its event loop in the test's own thread (in greenlets),
    so Django sees an async context there, refuses ORM calls and, worse, hands the test a fresh
    database connection (the connection handler is context-local), which silently breaks the
    in-memory SQLite sharing and the serialised rollback between tests.
    """

    TIMEOUT = 120  # seconds; Playwright's own (shorter) timeouts fire first

    def __init__(self):
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="playwright", daemon=True)
        self.thread.start()

    def run(self, function, *args, **kwargs):
        """Call ``function`` on the loop, await its result if it is awaitable, and return it."""

        async def invoke():
            result = function(*args, **kwargs)
            return await result if inspect.isawaitable(result) else result

        return self.wrap(asyncio.run_coroutine_threadsafe(invoke(), self.loop).result(self.TIMEOUT))

    def wrap(self, value):
        if isinstance(value, list):
            return [self.wrap(item) for item in value]
        if type(value).__module__.startswith("playwright."):
            return Remote(self, value)
        return value

    def close(self):
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()


class Remote:
    """A Playwright object (page, locator, …) used like the sync API from the test thread."""

    def __init__(self, bridge: _Bridge, target):
        self._bridge = bridge
        self._target = target

    def __getattr__(self, name):
        value = getattr(self._target, name)
        if not callable(value):
            return self._bridge.wrap(value)
        return lambda *args, **kwargs: self._bridge.run(value, *args, **kwargs)

    def __repr__(self):
        return f"Remote({self._target!r})"


# --- fixtures -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def chromium():
    """One headless Chromium for the module; each test gets its own context (fresh localStorage)."""
    path = chromium_path()
    if path is None:
        unavailable("Chromium not found: apt-get install chromium, or set CHROMIUM_PATH")
    bridge = _Bridge()
    try:
        playwright = bridge.run(lambda: async_playwright().start())
        try:
            browser = playwright.chromium.launch(executable_path=path, headless=True)
            yield browser
            browser.close()
        finally:
            playwright.stop()
    finally:
        bridge.close()


@pytest.fixture
def live_server_ctl(django_db_serialized_rollback, transactional_db, settings):
    """A running live server the test can ``stop()`` and ``start()``; data must be committed.

    Serialised rollback restores the site tree, regions and audiences (made by data migrations)
    that the transactional flush after each test removes.
    """
    server = StoppableLiveServer()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, server.host]
    server.start()
    yield server
    server.close()


@pytest.fixture
def player_page(chromium, live_server_ctl):
    """A fresh browser tab at the screen resolution; uncaught page errors collect in ``page.errors``."""
    context = chromium.new_context(viewport=VIEWPORT, locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    yield page
    context.close()
