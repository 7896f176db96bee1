"""Public error pages: Chinese, self-contained, never a traceback."""

import sys

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader

from .database_busy import busy_response, database_busy


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # Called inside Django's handler for the uncaught exception, so it is still in sys.exc_info().
    if database_busy(sys.exc_info()[1]):
        return busy_response(request)
    # No context processors or DB access: whatever broke must not break the error page.
    return HttpResponseServerError(loader.get_template("500.html").render())
