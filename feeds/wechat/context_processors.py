"""What the portal's pages need from the WeChat channel: whether to load the share script."""

from django.conf import settings


def wechat_share(request) -> dict:
    """Share cards inside WeChat need the JS-SDK, which needs the official account."""
    return {"WECHAT_SHARE": bool(settings.WECHAT_APP_ID and settings.WECHAT_APP_SECRET)}
