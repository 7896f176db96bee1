from django.conf import settings
from django.utils.functional import SimpleLazyObject


def portal(request):
    """Site-wide template values; the section list is only queried if a template uses it."""

    def sections():
        from content.selectors import section_list

        return section_list()

    return {"SITE_NAME": settings.WAGTAIL_SITE_NAME, "nav_sections": SimpleLazyObject(sections)}
