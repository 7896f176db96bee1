from django.urls import path

from . import views

urlpatterns = [path("", views.feeds_index, name="feeds_index")]
