"""Bank fixtures: an entity with books, issued invoices to pay, and statement builders."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest

from mutua.activities.models import Activity
from mutua.banking.formats import StatementData, StatementLineData
from mutua.banking.writers import camt053_file, coda_file
from mutua.clients.models import Client
from mutua.core.permissions import Role
from mutua.entities.models import Entity
from mutua.invoicing.actions import LineInput, create_draft_invoice, issue_invoice
from mutua.invoicing.models import Invoice
from tests.conftest import make_member, make_staff
from tests.ledger.conftest import books, make_activity, make_client

ON = dt.date(2026, 3, 2)
PAYER_IBAN = "BE71096123456769"
_refs = itertools.count(1)


@dataclass
class Shop:
    entity: Entity
    user: Any
    activity: Activity
    client: Client
    accountant: Any
    invoices: list[Invoice] = field(default_factory=list)

    def invoice(self, amount: str = "1000.00", *, client: Client | None = None) -> Invoice:
        """An issued invoice of `amount` excl. VAT (21 % VAT in Belgium: 1210.00 due)."""
        draft = create_draft_invoice(
            actor=self.user,
            activity=self.activity,
            client=client or self.client,
            lines=[LineInput("Concert", Decimal("1"), Decimal(amount))],
        )
        issued = issue_invoice(actor=self.user, invoice=draft, on=ON)
        self.invoices.append(issued)
        return issued


def shop_for(code: str) -> Shop:
    entity = books(code, years=(2026,))
    member = make_member(entity)
    activity = make_activity(entity, holder=member.person)
    client = make_client(entity, "Théâtre de Namur")
    return Shop(entity, member.person.user, activity, client, make_staff(entity, Role.ACCOUNTANT))


@pytest.fixture
def shop(db: Any) -> Shop:
    return shop_for("BE")


def paid(
    amount: str,
    *,
    reference: str = "",
    text: str = "",
    iban: str = PAYER_IBAN,
    name: str = "Théâtre de Namur",
    on: dt.date = dt.date(2026, 3, 10),
) -> StatementLineData:
    """A movement on the statement: positive = money in."""
    return StatementLineData(
        booking_date=on,
        value_date=on,
        amount=Decimal(amount),
        counterparty_name=name,
        counterparty_iban=iban,
        structured_reference=reference,
        free_text=text,
        bank_reference=f"REF{next(_refs):08d}",
    )


def ogm(invoice: Invoice) -> str:
    """The 12 digits a Belgian bank puts on the statement for the invoice's reference."""
    return "".join(ch for ch in invoice.payment_reference if ch.isdigit())


def statement(
    entity: Entity | None,
    *lines: StatementLineData,
    number: str = "1",
    opening: str = "1000.00",
    opened: dt.date = dt.date(2026, 3, 9),
    closed: dt.date = dt.date(2026, 3, 10),
    iban: str | None = None,
    currency: str | None = None,
) -> StatementData:
    start = Decimal(opening)
    return StatementData(
        iban=iban or (entity.iban if entity else ""),
        currency=currency or (entity.currency if entity else "EUR"),
        number=number,
        opening_date=opened,
        opening_balance=start,
        closing_date=closed,
        closing_balance=start + sum((line.amount for line in lines), start=Decimal("0")),
        lines=tuple(lines),
    )


def coda(*statements: StatementData) -> bytes:
    return coda_file(list(statements), created=statements[0].closing_date, bic="GEBABEBB")


def camt(*statements: StatementData, version: str = "08") -> bytes:
    created = dt.datetime.combine(statements[0].closing_date, dt.time(18, 0))
    return camt053_file(list(statements), created=created, version=version)
