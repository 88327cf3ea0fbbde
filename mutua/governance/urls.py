from django.urls import URLPattern, URLResolver, path

from mutua.governance import share_views

app_name = "governance"
urlpatterns: list[URLPattern | URLResolver] = [
    path("shares/", share_views.my_shares, name="my_shares"),
    path("shares/<int:holder_id>/certificate.pdf", share_views.certificate, name="certificate"),
    path("shares/<int:holder_id>/withdraw/", share_views.withdraw, name="withdraw"),
    path("register/", share_views.register_home, name="register_home"),
    path("register/<int:entity_id>/", share_views.register, name="register"),
    path("register/<int:entity_id>/accounts/", share_views.accounts, name="accounts"),
    path(
        "register/subscriptions/<int:subscription_id>/confirm/",
        share_views.confirm_payment,
        name="confirm_payment",
    ),
    path("register/exits/<int:exit_id>/settle/", share_views.settle, name="settle"),
]
