from django.urls import path

from mutua.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("join/", views.apply, name="apply"),
    path("profile/", views.profile, name="profile"),
    path("profile/identity/", views.edit_identity, name="edit_identity"),
    path("profile/household/", views.edit_household, name="edit_household"),
    path("profile/tokens/", views.create_token, name="create_token"),
    path("profile/tokens/<int:token_id>/revoke/", views.revoke_token, name="revoke_token"),
    path("people/<int:person_id>/", views.person_detail, name="person"),
    # Staff: payouts to a member's new bank account wait for this check (banking.payouts).
    path("held-payouts/", views.held_payouts, name="held_payouts"),
    path(
        "held-payouts/<int:entity_id>/<int:person_id>/release/",
        views.release_held_payouts,
        name="release_held_payouts",
    ),
]
