"""One scene for the attack tests: a Belgian entity whose members own one of everything, and a
French entity whose member and staff (every role) must reach none of it.

Built with the product's own demo builders and actions (no hand-made rows where an action
exists), so every object is in a state the product really produces.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core import mail
from django.test.utils import override_settings
from django.utils import timezone

from mutua.activities.models import Activity
from mutua.core.errors import DomainError
from mutua.core.permissions import Role
from mutua.demo.money import build_money_loop
from mutua.entities.models import Entity
from mutua.governance.assembly_actions import (
    add_agenda_item,
    attach_document,
    convene_assembly,
    create_assembly,
)
from mutua.governance.consultation_actions import PhaseSpec, create_consultation, submit_proposal
from mutua.governance.election_actions import Seats, create_election
from mutua.governance.exit_actions import request_exit
from mutua.governance.share_actions import (
    confirm_share_payment,
    define_share_class,
    request_subscription,
)
from mutua.ledger.actions import set_up_ledger
from mutua.members import actions as member_actions
from mutua.members.models import Membership, Person
from mutua.payroll.actions import run_payroll
from mutua.payroll.copyright import request_copyright_payment
from tests.conftest import make_entity, make_member, make_staff
from tests.payroll.conftest import day_contracts, fund

STAFF_ROLES = (
    Role.ADVISER,
    Role.ACCOUNTANT,
    Role.PAYROLL_OFFICER,
    Role.ADMINISTRATOR,
    Role.BOARD,
)
PAY_MONTH = dt.date(2026, 4, 1)


@dataclass
class Scene:
    home: Entity  # the victims' entity (BE)
    foreign: Entity  # the attackers' entity (FR)
    alice: Membership  # holds the personal objects attacked
    bob: Membership  # same entity, his own activity: must reach none of alice's objects
    outsider: Membership  # member of the foreign entity
    foreign_staff: dict[Role, Any]  # every staff role of the foreign entity
    home_staff: dict[Role, Any]
    objects: dict[str, Any] = field(default_factory=dict)  # kind -> one of alice's objects
    alice_token: str = ""
    outsider_token: str = ""
    bob_token: str = ""

    def attackers(self, *, same_entity: bool) -> dict[str, Any]:
        """Who tries: bob only for personal objects (he may see his entity's shared ones)."""
        who = {"outsider": self.outsider.person.user}
        who.update({f"foreign {role}": user for role, user in self.foreign_staff.items()})
        if same_entity:
            who["bob"] = self.bob.person.user
        return who


def build_scene() -> Scene:
    today = timezone.localdate()
    years = tuple(sorted({today.year - 1, today.year, PAY_MONTH.year}))
    home = make_entity("BE")
    foreign = make_entity("FR")
    for entity in (home, foreign):
        set_up_ledger(entity=entity, years=years)
    home_staff = {role: make_staff(home, role) for role in STAFF_ROLES}
    foreign_staff = {role: make_staff(foreign, role) for role in STAFF_ROLES}
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        members = [make_member(home) for _ in range(4)]
        outsider = make_member(foreign)
        # Activities, clients, order forms, invoices, statements, fund, expenses and services.
        build_money_loop(home, random.Random(7))
        bob = make_member(home)
        mail.outbox = []
    scene = Scene(
        home=home,
        foreign=foreign,
        alice=members[0],
        bob=bob,
        outsider=outsider,
        foreign_staff=foreign_staff,
        home_staff=home_staff,
    )
    _bob_owns_things_too(scene)
    _pay(scene)
    _govern(scene)
    _ask(scene)
    _load_parameters(scene)
    scene.alice_token = _token(scene.alice.person)
    scene.bob_token = _token(bob.person)
    scene.outsider_token = _token(outsider.person)
    _collect(scene)
    return scene


def _token(person: Person) -> str:
    return member_actions.create_access_token(user=person.user, name="attack")[1]


def _bob_owns_things_too(scene: Scene) -> None:
    from mutua.activities.actions import open_activity

    open_activity(
        actor=scene.bob.person.user,
        entity=scene.home,
        name="Bob's studio",
        activity_type="arts",
    )


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _ask(scene: Scene) -> None:
    """Alice asks an adviser (with a file) and asks for an advance on an order form."""
    from mutua.engagements.models import OrderForm
    from mutua.fund.advances import request_advance
    from mutua.services.actions.advice import ask_advice
    from mutua.services.uploads import checked_file

    user = scene.alice.person.user
    ask_advice(
        actor=user,
        entity=scene.home,
        topic="legal",
        subject="Contract",
        body="Is this clause fair?",
        files=[checked_file("clause.png", PNG)],
    )
    # Any covered order form of the entity will do: its holder asks (the fund's rules decide
    # which forms qualify, and the demo decides whose they are).
    for order in OrderForm.objects.filter(entity=scene.home).order_by("pk"):
        holder = order.activity.participants.filter(role="holder").first()
        if holder is None:
            continue
        try:
            request_advance(actor=holder.person.user, order=order, amount=Decimal("10.00"))
            return
        except DomainError:
            continue


def _load_parameters(scene: Scene) -> None:
    """A Belgian parameter set waiting for approval (legal parameters belong to a country)."""
    from mutua.countries.registry import parameters_for
    from mutua.rules.actions import propose_parameter_set

    text = (parameters_for("BE").folder / "2027.yaml").read_text(encoding="utf-8")
    propose_parameter_set(
        acting_user=scene.home_staff[Role.PAYROLL_OFFICER],
        country="BE",
        text=text.replace("status: provisional", "status: official", 1),
    )


def _pay(scene: Scene) -> None:
    """A payslip and a copyright payment for alice's activity."""
    person = scene.alice.person
    activity = Activity.objects.filter(participants__person=person).first()
    assert activity is not None
    fund(activity, "6000.00", on=dt.date(2026, 3, 20))
    day_contracts(person, activity, ["450.00"], first=dt.date(2026, 4, 6))
    run_payroll(entity=scene.home, period=PAY_MONTH)
    request_copyright_payment(
        acting_user=person.user,
        activity=activity,
        gross=Decimal("400.00"),
        work="Fresco",
        on=dt.date(2026, 5, 12),
    )


def _govern(scene: Scene) -> None:
    board = scene.home_staff[Role.BOARD]
    from mutua.governance.models import ShareClass

    # The demo may already have defined the members' class (it builds governance too).
    share_class = ShareClass.objects.filter(
        entity=scene.home, code="A"
    ).first() or define_share_class(
        entity=scene.home,
        code="A",
        name="Members",
        nominal_value=Decimal("30.00"),
        acting_user=board,
        voting_rights="one vote per member",
    )
    day = dt.date(2026, 3, 2)
    for member, quantity in ((scene.alice, 2), (scene.bob, 1)):
        subscription = request_subscription(
            entity=scene.home,
            share_class=share_class,
            quantity=quantity,
            method="transfer",
            on=day,
            acting_user=member.person.user,
        )
        confirm_share_payment(subscription=subscription, paid_on=day, acting_user=board)
    request_subscription(
        entity=scene.home,
        share_class=share_class,
        quantity=1,
        method="transfer",
        on=day,
        acting_user=scene.alice.person.user,
    )
    assembly = create_assembly(
        entity=scene.home,
        kind="ordinary",
        title="AG",
        acting_user=board,
        starts_at=timezone.now() + dt.timedelta(days=20),
        place="Brussels",
    )
    add_agenda_item(assembly=assembly, title="Approve the accounts", acting_user=board)
    attach_document(
        assembly=assembly,
        title="Accounts",
        file_name="accounts.pdf",
        content_type="application/pdf",
        content=b"%PDF-1.4\n%%EOF\n",
        acting_user=board,
    )
    convene_assembly(assembly=assembly, acting_user=board)
    create_election(
        entity=scene.home,
        title="Board",
        method="stv",
        candidacy_opens=dt.date(2026, 5, 1),
        candidacy_closes=dt.date(2026, 5, 15),
        voting_opens=dt.datetime(2026, 6, 1, 8, tzinfo=dt.UTC),
        voting_closes=dt.datetime(2026, 6, 10, 18, tzinfo=dt.UTC),
        constituencies=[Seats("members", "Members", 2, "A")],
        acting_user=board,
    )
    consultation = create_consultation(
        entity=scene.home,
        title="In progress",
        acting_user=board,
        phases=[PhaseSpec("Proposals", dt.date(2026, 3, 1), dt.date(2026, 3, 14), proposals=True)],
    )
    submit_proposal(
        consultation=consultation,
        title="Idea",
        body="Because.",
        acting_user=scene.alice.person.user,
        on=dt.date(2026, 3, 5),
    )
    from mutua.governance.models import Shareholder

    holder = Shareholder.objects.get(person=scene.alice.person)
    try:
        request_exit(holder=holder, kind="withdrawal", on=dt.date(2026, 3, 10), acting_user=board)
    except DomainError:  # the window of the statutes may be closed: the board excludes
        request_exit(
            holder=holder, kind="exclusion", on=dt.date(2026, 3, 10), acting_user=board, reason="x"
        )


def _collect(scene: Scene) -> None:
    """One object of each kind that alice (or her entity) owns, by the name URLs use."""
    from mutua.banking.models import StatementLine
    from mutua.clients.models import Client
    from mutua.contracts.models import Contract
    from mutua.engagements.models import OrderForm
    from mutua.expenses.models import Claim, Receipt
    from mutua.fund.models import AdvanceRequest
    from mutua.governance.models import (
        AgendaItem,
        Assembly,
        AssemblyDocument,
        Constituency,
        Consultation,
        Election,
        Exit,
        Participant,
        Proposal,
        Shareholder,
        Subscription,
    )
    from mutua.invoicing.models import Invoice
    from mutua.ledger.models import Account, Entry
    from mutua.members.models import AccessToken
    from mutua.payroll.models import CopyrightPayment, PayrollRun, Payslip
    from mutua.rules.models import ParameterSetUpload
    from mutua.services.models import (
        AdviceAttachment,
        AdviceRequest,
        Booking,
        Enrolment,
        Loan,
        Policy,
        PolicyCover,
        Resource,
        TrainingSession,
    )

    home = scene.home
    person = scene.alice.person
    activity = Activity.objects.filter(participants__person=person).first()
    invoice = Invoice.objects.filter(activity=activity).order_by("pk").first()
    scene.objects.update(
        activity=activity,
        client=Client.objects.filter(entity=home, users__person=person).first(),
        invoice=invoice,
        order_form=OrderForm.objects.filter(activity=activity).order_by("pk").first(),
        payslip=Payslip.objects.filter(person=person).first(),
        copyright_payment=CopyrightPayment.objects.filter(activity=activity).first(),
        contract=Contract.objects.filter(person=person).first(),
        run=PayrollRun.objects.filter(entity=home).first(),
        membership=scene.alice,
        person=person,
        token=AccessToken.objects.filter(user=person.user).first(),
        entry=Entry.objects.filter(entity=home).first(),
        account=Account.objects.filter(entity=home).first(),
        statement_line=StatementLine.objects.filter(account__entity=home).first(),
        advance_request=AdvanceRequest.objects.filter(order_form__entity=home).first(),
        claim=Claim.objects.filter(entity=home).first(),
        receipt=Receipt.objects.filter(claim__entity=home).first(),
        resource=Resource.objects.filter(place__entity=home).first(),
        booking=Booking.objects.filter(resource__place__entity=home).first(),
        session=TrainingSession.objects.filter(entity=home).first(),
        enrolment=Enrolment.objects.filter(session__entity=home).first(),
        loan=Loan.objects.filter(entity=home).first(),
        policy=Policy.objects.filter(entity=home).first(),
        cover=PolicyCover.objects.filter(policy__entity=home).first(),
        advice=AdviceRequest.objects.filter(entity=home).first(),
        advice_file=AdviceAttachment.objects.filter(message__request__entity=home).first(),
        holder=Shareholder.objects.filter(person=person).first(),
        subscription=Subscription.objects.filter(holder__person=person, status="requested")
        .order_by("-pk")
        .first(),
        exit=Exit.objects.filter(holder__person=person).first(),
        assembly=Assembly.objects.filter(entity=home).first(),
        document=AssemblyDocument.objects.filter(assembly__entity=home).first(),
        participant=Participant.objects.filter(assembly__entity=home).first(),
        item=AgendaItem.objects.filter(assembly__entity=home).first(),
        election=Election.objects.filter(entity=home).first(),
        seat=Constituency.objects.filter(election__entity=home).first(),
        consultation=Consultation.objects.filter(entity=home).first(),
        proposal=Proposal.objects.filter(consultation__entity=home).first(),
        parameter_upload=ParameterSetUpload.objects.filter(country=home.country).first(),
    )
