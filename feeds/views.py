"""The ``/feeds/`` page (订阅源): every feed the channels offer, in Chinese, for people setting up a
reader or a partner platform. Composed from the channels' sections (``feeds.registry``)."""

from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_safe

from .registry import feeds_page_sections


@require_safe
def feeds_index(request):
    now = timezone.now()  # one instant for every section
    leads, sections = [], []
    for section in feeds_page_sections():
        context = section.context(request, now)
        if section.lead_template:
            leads.append(render_to_string(section.lead_template, context, request))
        sections.append(render_to_string(section.template, context, request))
    return render(request, "feeds/index.html", {"leads": leads, "sections": sections})
