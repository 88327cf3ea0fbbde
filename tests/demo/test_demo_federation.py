import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from io import StringIO
from typing import Any

from django.core.management import call_command
from django.utils import timezone

from mutua.activities.models import Activity
from mutua.banking.models import Allocation, StatementLine
from mutua.clients.models import Client
from mutua.core.models import AuditEvent
from mutua.engagements.models import OrderForm
from mutua.entities.models import Entity
from mutua.invoicing.models import Invoice
from mutua.ledger.models import Line
from mutua.ledger.queries import activity_balance, posting_account, verify_books
from mutua.members.models import Membership, StaffRole
from mutua.payroll.models import Payslip
from mutua.reporting.federation import federation_view
from mutua.reporting.indicators import entity_indicators


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
    for entity in Entity.objects.all():
        _indicators_agree_with_the_records(entity, timezone.localdate().year)
    # Belgian members hold shares and are called to a general assembly.
    from mutua.governance.models import Assembly, ShareMovement

    assert ShareMovement.objects.filter(entity__code="BE").count() >= 10
    assert Assembly.objects.filter(entity__code="BE", status="convened").exists()
    # The demo's rates let the federation view convert the Swedish figures too.
    view = federation_view(Entity.objects.all(), timezone.localdate().year, "EUR")
    assert view.not_converted == [] and view.totals["turnover"] > 0


def _ledger_flow(entity: Entity, event: str, year: int) -> Decimal:
    """Credit minus debit of the event's account over the year, summed line by line."""
    account = posting_account(entity, event)
    lines = Line.objects.filter(account=account, date__year=year, currency=entity.currency)
    return sum((line.credit - line.debit for line in lines), start=Decimal("0.00"))


def _indicators_agree_with_the_records(entity: Entity, year: int) -> None:
    """Each indicator recomputed the slow way, object by object, from the source records and
    from the ledger's lines (not the balance aggregate the indicators read)."""
    figures = entity_indicators(entity, year)
    end = dt.date(year, 12, 31)
    approved = [m for m in Membership.objects.filter(entity=entity) if m.number]
    active = [
        m
        for m in approved
        if m.decided_at
        and m.decided_at.date() <= end
        and (not m.ended_at or m.ended_at.date() > end)
    ]
    assert figures.members_active == len(active) > 0
    invoices = [
        i
        for i in Invoice.objects.filter(entity=entity)
        if i.status != "draft" and i.issue_date and i.issue_date.year == year
    ]
    signed = sum(
        (i.total_net if i.kind == "invoice" else -i.total_net for i in invoices), start=Decimal(0)
    )
    assert figures.turnover == signed == _ledger_flow(entity, "sales", year)
    assert figures.invoices_issued == len([i for i in invoices if i.kind == "invoice"])
    paid = [
        (a.amount, (a.line.booking_date - a.invoice.issue_date).days)
        for a in Allocation.objects.filter(invoice__entity=entity).select_related("line", "invoice")
        if a.line.booking_date.year == year and a.invoice.kind == "invoice"
    ]
    total = sum((amount for amount, _days in paid), start=Decimal(0))
    if total:
        weighted = sum((amount * days for amount, days in paid), start=Decimal(0))
        delay = (weighted / total).quantize(Decimal("0.1"), ROUND_HALF_UP)
        assert figures.average_payment_delay == delay
    assert figures.fees == _ledger_flow(entity, "fee_income", year)
    assert figures.expenses == -_ledger_flow(entity, "expenses", year)
    slips = [s for s in Payslip.objects.filter(entity=entity) if s.period.year == year]
    assert figures.gross_pay == sum((s.gross for s in slips), start=Decimal(0))
    assert figures.gross_pay == -_ledger_flow(entity, "gross_pay", year)
    assert figures.paid_days == sum((s.days for s in slips), start=Decimal(0))
    assert sum((m.turnover for m in figures.months), start=Decimal(0)) == figures.turnover
    lines = Line.objects.filter(account=posting_account(entity, "guarantee_fund"), date__lte=end)
    assert figures.fund_balance == sum((x.credit - x.debit for x in lines), start=Decimal(0))


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
