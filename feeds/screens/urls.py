from django.urls import path

from . import api, views

urlpatterns = [
    path("api/v1/screens/<int:screen_id>/feed", api.screen_feed, name="screen_feed"),
    path("api/v1/screens/<int:screen_id>/heartbeat", api.screen_heartbeat, name="screen_heartbeat"),
    path("screens/<int:screen_id>/player/", views.screen_player, name="screen_player"),
]
