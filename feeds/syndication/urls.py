from django.urls import path

from . import views

FILES = {"rss": "rss.xml", "atom": "atom.xml", "json": "feed.json"}

urlpatterns = []  # /feeds/ itself is the channels' page (feeds/urls.py)
for fmt, file_name in FILES.items():
    urlpatterns.append(path(file_name, views.feed, {"fmt": fmt}, name=views.feed_url_name(fmt, "all")))
    for kind in ("audience", "topic", "type"):
        urlpatterns.append(
            path(
                f"{kind}/<str:slug>/{file_name}",
                views.feed,
                {"fmt": fmt, "kind": kind},
                name=views.feed_url_name(fmt, kind),
            )
        )
