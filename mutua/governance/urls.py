from django.urls import URLPattern, URLResolver, path

from mutua.governance import assembly_views as assemblies
from mutua.governance import consultation_views as consultations
from mutua.governance import election_views as elections
from mutua.governance import hub_views, share_views

app_name = "governance"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", hub_views.cooperative, name="home"),
    path("shares/", share_views.my_shares, name="my_shares"),
    path("shares/<int:holder_id>/certificate.pdf", share_views.certificate, name="certificate"),
    path("shares/<int:holder_id>/withdraw/", share_views.withdraw, name="withdraw"),
    path("register/", share_views.register_home, name="register_home"),
    path("register/<int:entity_id>/", share_views.register, name="register"),
    path("register/<int:entity_id>/accounts/", share_views.accounts, name="accounts"),
    path(
        "register/<int:entity_id>/holders/",
        share_views.register_legal_holder,
        name="register_holder",
    ),
    path(
        "register/<int:entity_id>/subscriptions/",
        share_views.subscribe_for_holder,
        name="subscribe_for_holder",
    ),
    path(
        "register/subscriptions/<int:subscription_id>/confirm/",
        share_views.confirm_payment,
        name="confirm_payment",
    ),
    path("register/exits/<int:exit_id>/settle/", share_views.settle, name="settle"),
    path("assemblies/", assemblies.assembly_list, name="assemblies"),
    path("assemblies/new/", assemblies.assembly_create, name="assembly_create"),
    path("assemblies/<int:assembly_id>/", assemblies.assembly_detail, name="assembly"),
    path(
        "assemblies/<int:assembly_id>/documents/<int:document_id>/",
        assemblies.document,
        name="document",
    ),
    path("assemblies/<int:assembly_id>/proxy/", assemblies.proxy, name="proxy"),
    path("assemblies/<int:assembly_id>/join/", assemblies.join_online, name="join"),
    path("assemblies/<int:assembly_id>/minutes.pdf", assemblies.minutes, name="minutes"),
    path("assemblies/items/<int:item_id>/vote/", assemblies.vote, name="vote"),
    path("assemblies/<int:assembly_id>/chair/", assemblies.chair, name="chair"),
    path("assemblies/<int:assembly_id>/chair/live/", assemblies.chair_live, name="chair_live"),
    path("assemblies/<int:assembly_id>/chair/items/", assemblies.add_item, name="add_item"),
    path(
        "assemblies/<int:assembly_id>/chair/post/<int:participant_id>/",
        assemblies.mail_proof,
        name="mail_proof",
    ),
    path(
        "assemblies/<int:assembly_id>/chair/documents/",
        assemblies.add_document,
        name="add_document",
    ),
    path(
        "assemblies/<int:assembly_id>/chair/<str:step>/",
        assemblies.chair_step,
        name="chair_step",
    ),
    path(
        "assemblies/<int:assembly_id>/chair/items/<int:item_id>/<str:step>/",
        assemblies.chair_item,
        name="chair_item",
    ),
    path("elections/", elections.election_list, name="elections"),
    path("elections/<int:election_id>/", elections.election_detail, name="election"),
    path("elections/<int:election_id>/stand/", elections.stand, name="stand"),
    path("elections/<int:election_id>/vote/", elections.vote, name="election_vote"),
    path("elections/<int:election_id>/count/", elections.count, name="count"),
    path("elections/<int:election_id>/board/", elections.board, name="board"),
    path(
        "elections/<int:election_id>/board/<int:constituency_id>.csv",
        elections.board_file,
        name="board_file",
    ),
    path("consultations/", consultations.consultation_list, name="consultations"),
    path(
        "consultations/<int:consultation_id>/",
        consultations.consultation_detail,
        name="consultation",
    ),
    path("consultations/<int:consultation_id>/propose/", consultations.propose, name="propose"),
    path(
        "consultations/<int:consultation_id>/report/",
        consultations.final_report,
        name="final_report",
    ),
    path(
        "consultations/proposals/<int:proposal_id>/<str:step>/",
        consultations.proposal_step,
        name="proposal_step",
    ),
    path("rules/<str:entity_code>/", consultations.rule_log, name="rule_log"),
]
