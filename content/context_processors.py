from django.conf import settings
from django.utils.functional import SimpleLazyObject


def portal(request):
    """Site-wide template values; the section list is only queried if a template uses it."""

    def sections():
        from content.selectors import section_list

        return section_list()

    return {
        "SITE_NAME": settings.WAGTAIL_SITE_NAME,
        "nav_sections": SimpleLazyObject(sections),
        # Share cards inside WeChat need the JS-SDK, which needs the official account.
        "WECHAT_SHARE": bool(settings.WECHAT_APP_ID and settings.WECHAT_APP_SECRET),
    }
