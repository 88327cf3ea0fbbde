"""The client's payment releases the fund's exposure; a debt given up after dunning is absorbed
by the fund, once (issue 6, item 4)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from mutua.banking.actions import import_statements
from mutua.core.errors import AccessDenied, InvalidInput, StateConflict
from mutua.core.models import AuditEvent
from mutua.fund.actions import write_off_debt
from mutua.fund.models import FundAdvance, WriteOff
from mutua.fund.queries import fund_balance, fund_exposure, open_exposure
from mutua.invoicing.models import Invoice
from mutua.ledger.queries import (
    account_balance,
    activity_balance,
    client_balance,
    posting_account,
    verify_books,
)
from tests.banking.conftest import coda, ogm, paid, statement
from tests.conftest import make_entity, make_staff
from tests.fund.conftest import Fund

MAY = dt.date(2026, 5, 5)


def pay(scene: Fund, amount: str) -> None:
    line = paid(amount, reference=ogm(scene.invoice), on=MAY)
    content = coda(statement(scene.entity, line, opened=MAY, closed=MAY))
    import_statements(entity=scene.entity, content=content, file_name="may.cod", acting_user=None)


def exhaust_dunning(invoice: Invoice) -> None:
    Invoice.objects.filter(pk=invoice.pk).update(dunning_stage=len(invoice.entity.dunning_days))


def test_the_clients_full_payment_releases_the_exposure(paid_by_fund: Fund) -> None:
    pay(paid_by_fund, "2420.00")
    assert fund_exposure(paid_by_fund.entity) == 0 == open_exposure(paid_by_fund.entity)
    assert FundAdvance.objects.get().released == Decimal("1350.00")
    assert verify_books() == []


def test_a_partial_payment_repays_the_fund_first(paid_by_fund: Fund) -> None:
    pay(paid_by_fund, "1210.00")  # half: the activity's share of it is 935.00
    assert fund_exposure(paid_by_fund.entity) == Decimal("415.00")
    assert open_exposure(paid_by_fund.entity) == Decimal("415.00")
    assert verify_books() == []


def test_a_written_off_debt_is_absorbed_by_the_fund(paid_by_fund: Fund) -> None:
    scene = paid_by_fund
    accountant = scene.shop.accountant
    with pytest.raises(StateConflict, match="has not ended"):
        write_off_debt(invoice=scene.invoice, reason="Bankrupt", acting_user=accountant)
    exhaust_dunning(scene.invoice)
    with pytest.raises(InvalidInput):
        write_off_debt(invoice=scene.invoice, reason=" ", acting_user=accountant)
    before_fund = fund_balance(scene.entity)
    budget = activity_balance(scene.shop.activity)
    done = write_off_debt(
        invoice=scene.invoice, reason="Bankrupt", acting_user=accountant, on=dt.date(2026, 6, 1)
    )
    # Due 2420.00; the activity's share 1870.00, of which the fund advanced 1350.00: the
    # activity loses the 520.00 never advanced; the fund absorbs the rest (VAT and fee included).
    assert (done.amount, done.covered, done.uncovered) == (
        Decimal("2420.00"),
        Decimal("1900.00"),
        Decimal("520.00"),
    )
    assert client_balance(scene.invoice.client) == 0
    assert fund_balance(scene.entity) == before_fund - Decimal("1900.00")
    assert activity_balance(scene.shop.activity) == budget - Decimal("520.00")
    assert account_balance(posting_account(scene.entity, "bad_debts")) == Decimal("520.00")
    assert fund_exposure(scene.entity) == 0 == open_exposure(scene.entity)
    assert AuditEvent.objects.filter(action="fund.write_off").count() == 1
    with pytest.raises(StateConflict, match="already written off"):
        write_off_debt(invoice=scene.invoice, reason="Again", acting_user=accountant)
    assert WriteOff.objects.count() == 1 and verify_books() == []


def test_only_an_accountant_of_the_entity_writes_off(paid_by_fund: Fund) -> None:
    exhaust_dunning(paid_by_fund.invoice)
    other = make_staff(make_entity("FR"), "accountant")
    for outsider in (paid_by_fund.shop.user, other):
        with pytest.raises(AccessDenied):
            write_off_debt(invoice=paid_by_fund.invoice, reason="x", acting_user=outsider)
    assert not WriteOff.objects.exists() and fund_exposure(paid_by_fund.entity) > 0


def test_dunning_sends_nothing_for_a_written_off_invoice(paid_by_fund: Fund) -> None:
    from mutua.invoicing.dunning import due_for_stage

    exhaust_dunning(paid_by_fund.invoice)
    Invoice.objects.filter(pk=paid_by_fund.invoice.pk).update(dunning_stage=2)
    entity = paid_by_fund.entity
    assert due_for_stage(entity, dt.date(2026, 12, 1), 3, 35).exists()
    Invoice.objects.filter(pk=paid_by_fund.invoice.pk).update(dunning_stage=3)
    write_off_debt(invoice=paid_by_fund.invoice, reason="Gone", acting_user=None)
    Invoice.objects.filter(pk=paid_by_fund.invoice.pk).update(dunning_stage=2)
    assert not due_for_stage(entity, dt.date(2026, 12, 1), 3, 35).exists()


def test_a_payment_matched_by_hand_releases_and_never_before_the_advance(
    paid_by_fund: Fund,
) -> None:
    from mutua.banking.actions import match_line
    from mutua.banking.models import StatementLine
    from mutua.ledger.models import Entry

    march = dt.date(2026, 3, 20)  # booked before the April advance: imported late
    line = paid("2420.00", text="merci", iban="", on=march)
    content = coda(statement(paid_by_fund.entity, line, opened=march, closed=march))
    import_statements(
        entity=paid_by_fund.entity, content=content, file_name="m.cod", acting_user=None
    )
    assert fund_exposure(paid_by_fund.entity) == Decimal("1350.00")  # not matched yet
    queued = StatementLine.objects.get()
    match_line(
        line=queued, invoices=[paid_by_fund.invoice], acting_user=paid_by_fund.shop.accountant
    )
    assert fund_exposure(paid_by_fund.entity) == 0 == open_exposure(paid_by_fund.entity)
    release = Entry.objects.get(idempotency_key__startswith="fund-release:")
    assert release.date >= dt.date(2026, 4, 30)
    assert verify_books() == []
