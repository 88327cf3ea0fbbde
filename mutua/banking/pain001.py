"""SEPA credit transfer (pain.001.001.09) from plain data: no ORM, no clock but the one given.

`credit_transfer` hands the payments to sepaxml in batch booking (one debit on the statement
for the whole batch, which is how a batch is recognised when it is confirmed) and lets sepaxml
validate the document against the XSD it bundles; an invalid document raises instead of
leaving a file the bank would refuse.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sepaxml import SepaTransfer

SCHEMA = "pain.001.001.09"
CENT = Decimal("0.01")


class Pain001Error(ValueError):
    """The payments cannot make a valid credit transfer (amount, currency, XSD)."""


@dataclass(frozen=True, slots=True)
class Debtor:
    name: str
    iban: str
    bic: str = ""
    currency: str = "EUR"


@dataclass(frozen=True, slots=True)
class Transfer:
    end_to_end_id: str  # ≤ 35 characters: the payout item's idempotency key
    creditor_name: str
    creditor_iban: str
    amount: Decimal
    remittance: str  # unstructured, ≤ 140 characters


class _Transfer(SepaTransfer):
    """sepaxml's transfer with our message id (it draws a random one otherwise)."""

    def __init__(self, config: dict[str, Any], *, msg_id: str) -> None:
        self._fixed_msg_id = msg_id
        super().__init__(config, schema=SCHEMA)

    def _create_header(self) -> None:
        self.msg_id = self._fixed_msg_id
        super()._create_header()


def cents(amount: Decimal) -> int:
    if amount <= 0 or amount.quantize(CENT) != amount:
        raise Pain001Error(f"amount {amount} is not a positive number of cents")
    return int(amount * 100)


def credit_transfer(
    *,
    debtor: Debtor,
    transfers: Sequence[Transfer],
    message_id: str,
    execution_date: dt.date,
) -> bytes:
    """The pain.001.001.09 document, validated against its XSD."""
    if not transfers:
        raise Pain001Error("a credit transfer needs at least one payment")
    if len(message_id) > 35:
        raise Pain001Error(f"message id {message_id!r} is longer than 35 characters")
    config: dict[str, Any] = {
        "name": debtor.name,
        "IBAN": debtor.iban,
        "batch": True,
        "currency": debtor.currency,
    }
    if debtor.bic:
        config["BIC"] = debtor.bic
    sepa = _Transfer(config, msg_id=message_id)
    for t in transfers:
        if len(t.end_to_end_id) > 35:
            raise Pain001Error(f"end-to-end id {t.end_to_end_id!r} is longer than 35 characters")
        sepa.add_payment(
            {
                "name": t.creditor_name,
                "IBAN": t.creditor_iban,
                "amount": cents(t.amount),
                "currency": debtor.currency,
                "execution_date": execution_date,
                "description": t.remittance,
                "endtoend_id": t.end_to_end_id,
            }
        )
    try:
        document: bytes = sepa.export(validate=True)
    except Exception as exc:  # sepaxml raises its ValidationError or a bare Exception
        raise Pain001Error(f"the credit transfer is not valid: {exc}") from exc
    return document
