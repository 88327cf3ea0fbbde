from django.urls import URLPattern, URLResolver, path

from mutua.expenses import views

app_name = "expenses"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.claim_list, name="list"),
    path("new/", views.claim_create, name="create"),
    path("queue/", views.approval_queue, name="queue"),
    path("<int:claim_id>/", views.claim_detail, name="detail"),
    path("<int:claim_id>/edit/", views.claim_edit, name="edit"),
    path("<int:claim_id>/receipts/", views.receipt_upload, name="upload"),
    path("<int:claim_id>/submit/", views.claim_submit, name="submit"),
    path("<int:claim_id>/approve/", views.claim_approve, name="approve"),
    path("<int:claim_id>/reject/", views.claim_reject, name="reject"),
    path("receipts/<int:receipt_id>/", views.receipt_download, name="receipt"),
    path("receipts/<int:receipt_id>/remove/", views.receipt_remove, name="remove_receipt"),
]
