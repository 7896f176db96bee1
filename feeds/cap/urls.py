from django.urls import path

from . import views

urlpatterns = [
    path("cap.atom", views.cap_index, name="cap_index"),
    path("cap/<int:page_id>.xml", views.cap_page_document, name="cap_page"),
    path("cap/messages/<str:identifier>.xml", views.cap_message_document, name="cap_message"),
]
