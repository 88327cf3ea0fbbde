from django.urls import path

from mutua.reporting import member_views

app_name = "money"
urlpatterns = [
    path("invoices/<int:invoice_id>/", member_views.invoice_money, name="invoice"),
    path("transparency/", member_views.transparency_page, name="transparency"),
    path("annual-report.pdf", member_views.annual_pdf, name="annual_pdf"),
]
