from django.urls import path

from mutua.ledger import views

app_name = "ledger"
urlpatterns = [
    path("", views.books, name="books"),
    path("<int:entity_id>/", views.entity_books, name="entity"),
    path("<int:entity_id>/trial-balance/", views.trial_balance, name="trial_balance"),
    path("<int:entity_id>/general-ledger/", views.general_ledger, name="general_ledger"),
    path("<int:entity_id>/entries/", views.entries, name="entries"),
    path("entries/<int:entry_id>/", views.entry_detail, name="entry"),
    path("accounts/<int:account_id>/", views.account_statement, name="account"),
    # Members reach this one too (access_activity decides); see the report about a portal URL.
    path(
        "activities/<int:activity_id>/statement/",
        views.activity_statement,
        name="activity_statement",
    ),
]
