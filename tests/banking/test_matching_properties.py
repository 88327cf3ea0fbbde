"""Properties of the pure matcher: no cent invented or lost, never beyond what is due."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from mutua.banking.matching import LineFacts, OpenBook, OpenInvoice, match_lines
from mutua.invoicing.documents.payment import structured_communication

cents = st.integers(min_value=1, max_value=500_000).map(lambda n: Decimal(n) / 100)


@settings(max_examples=200, deadline=None)
@given(
    dues=st.lists(cents, min_size=1, max_size=6),
    payments=st.lists(st.tuples(st.integers(0, 5), cents, st.sampled_from(["ref", "no", "txt"]))),
)
def test_allocations_add_up_and_never_exceed_what_is_due(
    dues: list[Decimal], payments: list[tuple[int, Decimal, str]]
) -> None:
    invoices = {
        pk: OpenInvoice(pk, f"2026-{pk:06d}", 1, structured_communication(2600000000 + pk), due)
        for pk, due in enumerate(dues, start=1)
    }
    book = OpenBook(invoices, clients_by_iban={"BE71096123456769": {1}})
    lines = []
    for index, amount, how in payments:
        pk = index % len(dues) + 1
        reference = invoices[pk].payment_reference if how == "ref" else ""
        text = f"facture {invoices[pk].number}" if how == "txt" else "merci"
        lines.append(LineFacts(amount, reference, text, "BE71096123456769"))
    matches = match_lines(book, lines)
    paid: dict[int, Decimal] = {}
    for line, found in zip(lines, matches, strict=True):
        if found.status in ("matched", "overpaid"):
            assert found.allocated + found.client_credit == line.amount
        else:
            assert not found.allocations and found.client_credit == 0
        for pk, amount in found.allocations:
            assert amount > 0
            paid[pk] = paid.get(pk, Decimal("0")) + amount
    for pk, total in paid.items():
        assert total <= invoices[pk].due
        assert book.due[pk] == invoices[pk].due - total
