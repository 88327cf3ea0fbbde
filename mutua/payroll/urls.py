from django.urls import URLPattern, path

from mutua.payroll import pages, views

app_name = "payroll"
urlpatterns: list[URLPattern] = [
    path("simulator/", views.simulator, name="simulator"),
    path("payslips/", pages.payslip_list, name="payslips"),
    path("payslips/<int:payslip_id>/", pages.payslip_detail, name="payslip"),
    path("payslips/<int:payslip_id>/pdf/", pages.payslip_download, name="payslip_pdf"),
    path("runs/", pages.run_list, name="runs"),
    path("runs/<int:run_id>/", pages.run_detail, name="run"),
    path("runs/<int:run_id>/advance/", pages.run_advance, name="run_advance"),
    path("runs/<int:run_id>/close/", pages.run_close, name="run_close"),
]
