from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from mutua.api.api import api
from mutua.ledger import views as ledger_views
from mutua.members.admin import secure_admin_site

admin.site.site_header = "Mutua administration"
# No password-only way in: the admin signs in through allauth and its second factor.
secure_admin_site(admin.site)
# Database lost during a request: a 503 page saying nothing was saved (core.views_errors).
handler500 = "mutua.core.views_errors.server_error"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="portal:home", permanent=False)),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    # The member's statement of an activity lives in the ledger app (access_activity decides).
    path(
        "portal/activities/<int:activity_id>/statement/",
        ledger_views.activity_statement,
        name="activity_statement",
    ),
    path("portal/activities/", include("mutua.activities.urls")),
    path("portal/clients/", include("mutua.clients.urls")),
    path("portal/invoices/", include("mutua.invoicing.urls")),
    path("portal/money/", include("mutua.reporting.member_urls")),
    path("portal/", include("mutua.portal.urls")),
    path("backoffice/", include("mutua.backoffice.urls")),
    path("backoffice/ledger/", include("mutua.ledger.urls")),
    path("backoffice/bank/", include("mutua.banking.urls")),
    path("pay/", include("mutua.payroll.urls")),
    path("fund/", include("mutua.fund.urls")),
    path("expenses/", include("mutua.expenses.urls")),
    path("services/", include("mutua.services.urls")),
    path("governance/", include("mutua.governance.urls")),
    path("backoffice/reports/", include("mutua.reporting.urls")),
    path("backoffice/rules/", include("mutua.rules.urls")),
    path("order-forms/", include("mutua.engagements.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
