from django.urls import path

from . import api, views

urlpatterns = [
    path("wechat/callback", views.wechat_callback, name="wechat_callback"),
    path("api/v1/wechat/jssdk-config", api.jssdk_config, name="wechat_jssdk_config"),
]
