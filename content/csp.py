"""Content-Security-Policy by path: the strict public policy everywhere, a looser one for the admin.

``CONTENT_SECURITY_POLICY`` (settings, django-csp 4) is the public policy: no inline script, no inline
style, nothing from other origins except the video hosts. The Wagtail admin still ships inline
``<script>`` (inline panels, date pickers) and inline styles, so under ``CSP_ADMIN_URL_PREFIXES`` the
response gets ``CONTENT_SECURITY_POLICY_ADMIN`` instead, which adds ``'unsafe-inline'`` and keeps the
rest (no plugins, no foreign scripts, no base or form hijack, no framing by other sites).
docs/security.md explains each exception.
"""

from csp.middleware import CSPMiddleware
from django.conf import settings


class PathCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        admin_prefixes = tuple(getattr(settings, "CSP_ADMIN_URL_PREFIXES", ()))
        if (
            not report_only
            and parts.config is None
            and admin_prefixes
            and request.path_info.startswith(admin_prefixes)
        ):
            parts.config = settings.CONTENT_SECURITY_POLICY_ADMIN["DIRECTIVES"]
        return parts
