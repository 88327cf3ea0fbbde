from django.urls import URLPattern, path

from mutua.contracts import pages as contract_pages
from mutua.payroll import annual_pages, copyright_pages, pages, views

app_name = "payroll"
urlpatterns: list[URLPattern] = [
    path("simulator/", views.simulator, name="simulator"),
    path("payslips/", pages.payslip_list, name="payslips"),
    path("payslips/<int:payslip_id>/", pages.payslip_detail, name="payslip"),
    path("payslips/<int:payslip_id>/pdf/", pages.payslip_download, name="payslip_pdf"),
    path("copyright/", copyright_pages.copyright_list, name="copyright"),
    path("copyright/preview/", copyright_pages.copyright_preview, name="copyright_preview"),
    path("copyright/queue/", copyright_pages.copyright_queue, name="copyright_queue"),
    path(
        "copyright/<int:payment_id>/decide/",
        copyright_pages.copyright_decide,
        name="copyright_decide",
    ),
    path("annual/", annual_pages.annual_list, name="annual_list"),
    path(
        "annual/<int:entity_id>/<int:year>/<str:kind>/<int:person_id>/",
        annual_pages.annual_detail,
        name="annual",
    ),
    path(
        "annual/<int:entity_id>/<int:year>/<str:kind>/<int:person_id>/pdf/",
        annual_pages.annual_download,
        name="annual_pdf",
    ),
    path("smoothing/", contract_pages.smoothing_page, name="smoothing"),
    path(
        "smoothing/<int:contract_id>/preview/",
        contract_pages.smoothing_preview,
        name="smoothing_preview",
    ),
    path("smoothing/<int:contract_id>/", contract_pages.smoothing_choose, name="smoothing_choose"),
    path("runs/", pages.run_list, name="runs"),
    path("runs/provisional/", pages.provisional_approve, name="provisional_approve"),
    path("runs/regularise/", pages.regularise, name="regularise"),
    path("runs/<int:run_id>/", pages.run_detail, name="run"),
    path("runs/<int:run_id>/advance/", pages.run_advance, name="run_advance"),
    path("runs/<int:run_id>/close/", pages.run_close, name="run_close"),
]
