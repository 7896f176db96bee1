"""The production WSGI application, plus an ``X-Worker-Pid`` header so a test can tell which
gunicorn worker answered (and so check that *every* worker sees a change)."""

import os

from cms.wsgi import application as _application


def application(environ, start_response):
    def start(status, headers, exc_info=None):
        return start_response(status, [*headers, ("X-Worker-Pid", str(os.getpid()))], exc_info)

    return _application(environ, start)
