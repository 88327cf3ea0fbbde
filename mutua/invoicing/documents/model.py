"""An issued invoice or credit note, described completely and independently of the database.

Amounts are Decimal in the document currency, already rounded to its minor unit: the document
states what was issued, it computes nothing. `InvoiceDocument` checks on creation that the figures
add up exactly, following the EN 16931 calculation rules (BR-CO-10 to BR-CO-17), so a document that
would be refused by a Peppol access point or the French platform cannot even be built.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from mutua.core.errors import InvalidInput
from mutua.core.money import minor_units

DocumentKind = Literal["invoice", "credit_note"]

# EN 16931 VAT category codes (UNCL5305 subset, BT-118/BT-151).
STANDARD = "S"
ZERO_RATED = "Z"
EXEMPT = "E"
REVERSE_CHARGE = "AE"
EXPORT_OUTSIDE_EU = "G"
OUTSIDE_SCOPE = "O"
VAT_CATEGORIES = frozenset(
    {STANDARD, ZERO_RATED, EXEMPT, REVERSE_CHARGE, EXPORT_OUTSIDE_EU, OUTSIDE_SCOPE}
)
# Categories where the invoice must say why no VAT is charged (BR-E-10, BR-AE-10, BR-G-10, BR-O-10).
NEEDS_EXEMPTION_REASON = frozenset({EXEMPT, REVERSE_CHARGE, EXPORT_OUTSIDE_EU, OUTSIDE_SCOPE})


@dataclass(frozen=True, slots=True)
class Party:
    """Seller (BG-4) or buyer (BG-7)."""

    name: str
    street: str
    postcode: str
    city: str
    country: str  # ISO 3166-1 alpha-2
    email: str = ""
    language: str = "en"  # ISO 639-1: the language documents are written in
    vat_number: str | None = None  # compact with country prefix, e.g. BE0403170701 (BT-31/BT-48)
    company_number: str | None = None  # legal registration id (BT-30/BT-47)
    peppol_id: str | None = None  # "<EAS scheme>:<id>", e.g. 0208:0403170701 (BT-34/BT-49)

    def __post_init__(self) -> None:
        if not (len(self.country) == 2 and self.country.isalpha() and self.country.isupper()):
            raise InvalidInput(
                f"country must be ISO alpha-2, got {self.country!r}", field="country"
            )
        if not self.name.strip():
            raise InvalidInput("a party needs a name", field="name")
        if self.peppol_id is not None and not _is_peppol_id(self.peppol_id):
            raise InvalidInput(
                f"Peppol id must look like 0208:0403170701, got {self.peppol_id!r}",
                field="peppol_id",
            )

    @property
    def locale(self) -> str:
        """Babel locale for numbers and dates: the party's language as spoken in its country."""
        return f"{self.language}_{self.country}"


def _is_peppol_id(value: str) -> bool:
    scheme, _, identifier = value.partition(":")
    return len(scheme) == 4 and scheme.isdigit() and bool(identifier)


@dataclass(frozen=True, slots=True)
class DocumentLine:
    """One invoice line (BG-25)."""

    description: str
    quantity: Decimal
    unit_price: Decimal  # net, excl. VAT (BT-146)
    net_amount: Decimal  # quantity x unit price, rounded to the cent (BT-131)
    vat_category: str
    vat_rate: Decimal  # percent, e.g. Decimal("21")
    unit_code: str = "C62"  # UN/ECE Rec. 20 (BT-130): C62 "one", DAY, HUR


@dataclass(frozen=True, slots=True)
class VatBreakdown:
    """One VAT category and rate of the document (BG-23)."""

    category: str
    rate: Decimal
    taxable_amount: Decimal
    tax_amount: Decimal
    exemption_reason: str | None = None  # BT-120
    exemption_reason_code: str | None = None  # BT-121, CEF VATEX list, e.g. VATEX-EU-AE


@dataclass(frozen=True, slots=True)
class InvoiceDocument:
    kind: DocumentKind
    number: str
    issue_date: dt.date
    due_date: dt.date
    currency: str
    seller: Party
    buyer: Party
    lines: tuple[DocumentLine, ...]
    vat_breakdown: tuple[VatBreakdown, ...]
    total_net: Decimal
    total_vat: Decimal
    total_gross: Decimal
    amount_due: Decimal
    payment_reference: str
    seller_iban: str
    seller_bic: str = ""
    legal_mentions: tuple[str, ...] = ()
    notes: str = ""
    delivery_date: dt.date | None = None  # BT-72: date of supply, when it differs from issue
    paid_amount: Decimal = Decimal("0")  # BT-113: advances already received
    preceding_invoice_number: str | None = None  # BT-25, for credit notes
    preceding_invoice_date: dt.date | None = None  # BT-26
    order_reference: str | None = None  # BT-13
    buyer_reference: str | None = None  # BT-10

    def __post_init__(self) -> None:
        # Callers may pass lists; the document keeps tuples so it stays immutable and hashable.
        for name in ("lines", "vat_breakdown", "legal_mentions"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        self.validate()

    @property
    def is_credit_note(self) -> bool:
        return self.kind == "credit_note"

    def validate(self) -> None:
        """Raise InvalidInput, naming the figure, unless the document is whole and adds up."""
        _check_header(self)
        quantum = Decimal(1).scaleb(-minor_units(self.currency))
        _check_amounts_rounded(self, quantum)
        for index, line in enumerate(self.lines, start=1):
            _check_line(index, line, quantum)
        _check_breakdown(self, quantum)
        _check_totals(self)


def _fail(message: str, field: str) -> None:
    raise InvalidInput(message, field=field)


def _check_header(doc: InvoiceDocument) -> None:
    if doc.kind not in ("invoice", "credit_note"):
        _fail(f"kind must be 'invoice' or 'credit_note', got {doc.kind!r}", "kind")
    if not doc.number:
        _fail("the document has no number", "number")
    if not (len(doc.currency) == 3 and doc.currency.isalpha() and doc.currency.isupper()):
        _fail(f"currency must be an ISO 4217 code, got {doc.currency!r}", "currency")
    if doc.due_date < doc.issue_date:
        _fail(f"due date {doc.due_date} is before issue date {doc.issue_date}", "due_date")
    if not doc.lines:
        _fail("a document needs at least one line", "lines")
    if doc.total_net < 0:
        _fail(f"total excl. VAT {doc.total_net} is negative: issue a credit note", "total_net")


def _check_amounts_rounded(doc: InvoiceDocument, quantum: Decimal) -> None:
    amounts = {
        "total_net": doc.total_net,
        "total_vat": doc.total_vat,
        "total_gross": doc.total_gross,
        "amount_due": doc.amount_due,
        "paid_amount": doc.paid_amount,
    }
    for name, amount in amounts.items():
        _check_exact(amount, quantum, name)


def _check_exact(amount: object, quantum: Decimal, name: str) -> None:
    if not isinstance(amount, Decimal):
        _fail(f"{name} must be a Decimal, got {type(amount).__name__}", name)
    elif not amount.is_finite() or amount != amount.quantize(quantum):
        _fail(f"{name} {amount} is not rounded to {quantum}", name)


def _check_line(index: int, line: DocumentLine, quantum: Decimal) -> None:
    where = f"lines[{index}]"
    _check_exact(line.net_amount, quantum, f"{where}.net_amount")
    for name in ("quantity", "unit_price", "vat_rate"):
        if not isinstance(getattr(line, name), Decimal):
            _fail(f"{where}.{name} must be a Decimal", f"{where}.{name}")
    expected = (line.quantity * line.unit_price).quantize(quantum, rounding=ROUND_HALF_UP)
    if line.net_amount != expected:
        _fail(
            f"line {index}: {line.quantity} x {line.unit_price} = {expected}, "
            f"not {line.net_amount}",
            f"{where}.net_amount",
        )
    _check_category(line.vat_category, line.vat_rate, where)


def _check_category(category: str, rate: Decimal, where: str) -> None:
    if category not in VAT_CATEGORIES:
        _fail(f"{where}: unknown VAT category {category!r}", f"{where}.vat_category")
    # BR-S-05: standard rate above zero; BR-Z/E/AE/G-05: these categories carry rate 0.
    if (category == STANDARD) != (rate > 0):
        _fail(f"{where}: VAT category {category} cannot have rate {rate}", f"{where}.vat_rate")


def _check_breakdown(doc: InvoiceDocument, quantum: Decimal) -> None:
    """BR-CO-18 / BR-S-08...: one breakdown per (category, rate), each summing its lines."""
    taxable: dict[tuple[str, Decimal], Decimal] = defaultdict(Decimal)
    for line in doc.lines:
        taxable[(line.vat_category, line.vat_rate)] += line.net_amount
    stated = [(b.category, b.rate) for b in doc.vat_breakdown]
    if len(set(stated)) != len(stated) or set(stated) != set(taxable):
        _fail(f"VAT breakdown {stated} does not match the lines {sorted(taxable)}", "vat_breakdown")
    for b in doc.vat_breakdown:
        _check_breakdown_entry(b, taxable[(b.category, b.rate)], quantum)
    _check_reverse_charge_parties(doc)
    # BR-O-11: "not subject to VAT" cannot be mixed with any other category.
    if OUTSIDE_SCOPE in {c for c, _ in stated} and len(stated) > 1:
        _fail("category O (outside the scope of VAT) cannot be mixed with others", "vat_breakdown")


def _check_breakdown_entry(b: VatBreakdown, lines_net: Decimal, quantum: Decimal) -> None:
    where = f"vat_breakdown[{b.category} {b.rate}%]"
    _check_exact(b.taxable_amount, quantum, f"{where}.taxable_amount")
    _check_exact(b.tax_amount, quantum, f"{where}.tax_amount")
    if b.taxable_amount != lines_net:
        _fail(f"{where}: taxable {b.taxable_amount} but lines sum to {lines_net}", where)
    # BR-CO-17: tax = taxable x rate / 100, rounded to two decimals.
    expected = (b.taxable_amount * b.rate / 100).quantize(quantum, rounding=ROUND_HALF_UP)
    if b.tax_amount != expected:
        _fail(f"{where}: tax {b.tax_amount}, expected {expected}", where)
    if b.category in NEEDS_EXEMPTION_REASON and not (b.exemption_reason or b.exemption_reason_code):
        _fail(f"{where}: category {b.category} needs an exemption reason", where)


def _check_reverse_charge_parties(doc: InvoiceDocument) -> None:
    # BR-AE-02: reverse charge needs both the seller's and the buyer's VAT numbers.
    if any(b.category == REVERSE_CHARGE for b in doc.vat_breakdown) and not (
        doc.seller.vat_number and doc.buyer.vat_number
    ):
        _fail("reverse charge needs the seller's and the buyer's VAT numbers", "buyer.vat_number")


def _check_totals(doc: InvoiceDocument) -> None:
    _expect(doc.total_net, _sum(line.net_amount for line in doc.lines), "total_net")  # BR-CO-10/13
    _expect(doc.total_vat, _sum(b.tax_amount for b in doc.vat_breakdown), "total_vat")  # BR-CO-14
    _expect(doc.total_gross, doc.total_net + doc.total_vat, "total_gross")  # BR-CO-15
    _expect(doc.amount_due, doc.total_gross - doc.paid_amount, "amount_due")  # BR-CO-16


def _sum(amounts: Iterable[Decimal]) -> Decimal:
    return sum(amounts, Decimal("0"))


def _expect(stated: Decimal, computed: Decimal, name: str) -> None:
    if stated != computed:
        _fail(f"{name} is {stated} but the figures add up to {computed}", name)
