from django.urls import path

from mutua.engagements import views

app_name = "engagements"
urlpatterns = [
    path("", views.order_form_list, name="list"),
    path("new/", views.order_form_create, name="create"),
    path("queue/", views.validation_queue, name="queue"),
    path("confirm/<str:token>/", views.client_page, name="confirm"),
    path("<int:order_form_id>/", views.order_form_detail, name="detail"),
    path("<int:order_form_id>/edit/", views.order_form_edit, name="edit"),
    path("<int:order_form_id>/send/", views.order_form_send, name="send"),
    path("<int:order_form_id>/cancel/", views.order_form_cancel, name="cancel"),
    path("<int:order_form_id>/validate/", views.order_form_validate, name="validate"),
    path("<int:order_form_id>/invoice/", views.order_form_invoice, name="invoice"),
]
