from io import StringIO
from typing import Any

from django.core.management import call_command

from mutua.activities.models import Activity
from mutua.banking.models import StatementLine
from mutua.clients.models import Client
from mutua.core.models import AuditEvent
from mutua.engagements.models import OrderForm
from mutua.entities.models import Entity
from mutua.invoicing.models import Invoice
from mutua.ledger.queries import activity_balance, verify_books
from mutua.members.models import Membership, StaffRole


def test_the_demo_builds_a_believable_federation(db: object) -> None:
    out = StringIO()
    call_command("demo", "--no-serve", stdout=out)
    assert set(Entity.objects.values_list("code", flat=True)) == {"BE", "FR", "SE"}
    assert Entity.objects.get(code="SE").currency == "SEK"
    assert Membership.objects.count() >= 50
    statuses = set(Membership.objects.values_list("status", flat=True))
    assert statuses == {"applicant", "active", "suspended", "left"}
    roles = set(StaffRole.objects.values_list("role", flat=True))
    assert roles == {"adviser", "accountant", "payroll_officer", "administrator", "board"}
    assert AuditEvent.objects.filter(action="membership.approve").exists()
    assert "member@mutua.test" in out.getvalue() and "adviser-be@mutua.test" in out.getvalue()
    # Members have activities, clients and invoices in several states, and the books agree.
    member = Membership.objects.get(person__user__email="member@mutua.test")
    activity = Activity.objects.get(participants__person=member.person)
    statuses = set(activity.invoices.values_list("status", flat=True))
    assert {"draft", "issued", "cancelled"} <= statuses
    assert activity.invoices.filter(kind="credit_note").exists()
    assert Client.objects.filter(users__person=member.person).count() == 2
    assert activity_balance(activity) > 0
    forms = set(OrderForm.objects.filter(activity=activity).values_list("status", flat=True))
    assert forms == {"draft", "sent", "invoiced", "refused"}
    assert Invoice.objects.filter(status__in=["paid", "partly_paid"]).exists()
    assert StatementLine.objects.filter(status="unmatched").exists()
    assert verify_books() == []


def test_the_demo_is_deterministic_and_loads_once(transactional_db: object, settings: Any) -> None:
    settings.DEBUG = True  # --reset is refused outside the demo
    call_command("demo", "--no-serve", stdout=StringIO())
    first = list(Membership.objects.order_by("number").values_list("number", "person__last_name"))
    out = StringIO()
    call_command("demo", "--no-serve", stdout=out)
    assert "already loaded" in out.getvalue()
    call_command("demo", "--no-serve", "--reset", stdout=StringIO())
    again = list(Membership.objects.order_by("number").values_list("number", "person__last_name"))
    assert first == again
