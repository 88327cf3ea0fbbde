from django.urls import path

from mutua.invoicing import views

app_name = "invoicing"
urlpatterns = [
    path("", views.invoice_list, name="list"),
    path("new/<int:activity_id>/", views.invoice_create, name="create"),
    path("<int:invoice_id>/", views.invoice_detail, name="detail"),
    path("<int:invoice_id>/issue/", views.invoice_issue, name="issue"),
    path("<int:invoice_id>/credit/", views.invoice_credit, name="credit"),
    path("<int:invoice_id>/send/", views.invoice_send, name="send"),
    path("<int:invoice_id>/pdf/", views.invoice_pdf, name="pdf"),
    path("overdue/", views.overdue_queue, name="overdue"),
    path("<int:invoice_id>/ubl/", views.invoice_ubl, name="ubl"),
]
