from django.conf import settings
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from search import api as search_api
from search import views as search_views

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("search/", search_views.search_page, name="search"),
    path("api/v1/search/", search_api.search_api, name="search_api"),
    path("api/v1/search/suggest/", search_api.suggest_api, name="search_suggest_api"),
    path("sitemap.xml", sitemap),
    path("", include("feeds.screens.urls")),
    path("", include("feeds.wechat.urls")),
    path("feeds/emergency/", include("feeds.cap.urls")),
    path("feeds/", include("feeds.urls")),
    path("feeds/", include("feeds.syndication.urls")),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
if settings.SERVE_MEDIA:  # development and tests; production serves media from nginx
    from django.views.static import serve

    urlpatterns += [
        re_path(
            rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}
        )
    ]

urlpatterns += [path("", include(wagtail_urls))]

handler404 = "content.views.page_not_found"
handler500 = "content.views.server_error"
