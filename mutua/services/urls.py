from django.urls import URLPattern, URLResolver, path

from mutua.services import staff_views as staff
from mutua.services import views

app_name = "services"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
    path("workspace/", views.resources, name="resources"),
    path("workspace/<int:resource_id>/", views.resource, name="resource"),
    path("workspace/<int:resource_id>/price/", views.price, name="price"),
    path("bookings/", views.bookings, name="bookings"),
    path("bookings/<int:booking_id>/cancel/", views.cancel_booking, name="cancel_booking"),
    path("training/", views.sessions, name="sessions"),
    path("training/<int:session_id>/", views.session, name="session"),
    path("enrolments/<int:enrolment_id>/cancel/", views.cancel_enrolment, name="cancel_enrolment"),
    path(
        "enrolments/<int:enrolment_id>/certificate/",
        views.attendance_certificate,
        name="attendance_certificate",
    ),
    path("loans/", views.loan_list, name="loans"),
    path("loans/new/", views.loan_request, name="loan_request"),
    path("loans/<int:loan_id>/", views.loan, name="loan"),
    path("insurance/", views.policies, name="policies"),
    path("insurance/<int:policy_id>/join/", views.join_policy, name="join_policy"),
    path("covers/<int:cover_id>/certificate/", views.cover_certificate, name="cover_certificate"),
    path("advice/", views.advice_list, name="advice_list"),
    path("advice/new/", views.advice_new, name="advice_new"),
    path("advice/<int:request_id>/", views.advice, name="advice"),
    path("advice/<int:request_id>/close/", views.advice_close, name="advice_close"),
    path("advice/<int:request_id>/rate/", views.advice_rate, name="advice_rate"),
    path("advice/files/<int:attachment_id>/", views.advice_file, name="advice_file"),
    # Staff, per entity.
    path("staff/", staff.staff_home, name="staff_home"),
    path("staff/<int:entity_id>/workspace/", staff.staff_workspace, name="staff_workspace"),
    path(
        "staff/resources/<int:resource_id>/toggle/",
        staff.staff_toggle_resource,
        name="staff_toggle_resource",
    ),
    path("staff/<int:entity_id>/training/", staff.staff_training, name="staff_training"),
    path("staff/sessions/<int:session_id>/", staff.staff_session, name="staff_session"),
    path(
        "staff/sessions/<int:session_id>/cancel/",
        staff.staff_cancel_session,
        name="staff_cancel_session",
    ),
    path("staff/<int:entity_id>/loans/", staff.staff_loans, name="staff_loans"),
    path("staff/loans/<int:loan_id>/", staff.staff_loan, name="staff_loan"),
    path("staff/<int:entity_id>/insurance/", staff.staff_insurance, name="staff_insurance"),
    path(
        "staff/policies/<int:policy_id>/toggle/",
        staff.staff_toggle_policy,
        name="staff_toggle_policy",
    ),
    path("staff/<int:entity_id>/advice/", staff.staff_advice, name="staff_advice"),
    path("staff/advice/<int:request_id>/assign/", staff.staff_assign, name="staff_assign"),
]
