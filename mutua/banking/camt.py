"""ISO 20022 camt.053 (BankToCustomerStatement), versions 001.02 to 001.13, read with lxml.

Kept: each booked entry (`Ntry` with status BOOK) as a line; an entry that books several
transactions at once (`TxDtls`, e.g. a batch of incoming transfers) becomes one line per
transaction when their amounts add up to the entry's, so each payment can be matched. The
opening balance is OPBD (or PRCD), the closing one CLBD. Element names are looked up whatever
the namespace version; the parser refuses DTDs, entities and network access. Pure: no ORM.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from lxml import etree

from mutua.banking.formats import StatementData, StatementFileError, StatementLineData, compact

NAMESPACE_PREFIX = "urn:iso:std:iso:20022:tech:xsd:camt.053.001."
AMOUNT = re.compile(r"^\d{1,18}(\.\d{1,5})?$")
OPENING_CODES = ("OPBD", "PRCD")
CLOSING_CODES = ("CLBD",)


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def parse_camt053(content: bytes) -> list[StatementData]:
    try:
        root = etree.fromstring(content, parser=_parser())
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise StatementFileError(f"the XML is not well-formed: {exc}") from exc
    if not isinstance(root.tag, str) or not root.tag.startswith("{" + NAMESPACE_PREFIX):
        raise StatementFileError("the XML is not an ISO 20022 camt.053 statement")
    return [_statement(node) for node in root.iterfind("{*}BkToCstmrStmt/{*}Stmt")]


def _statement(node: etree._Element) -> StatementData:
    number = _text(node, "{*}ElctrncSeqNb") or _text(node, "{*}LglSeqNb") or _text(node, "{*}Id")
    currency = _text(node, "{*}Acct/{*}Ccy").upper()
    opening_date, opening = _balance(node, OPENING_CODES, number)
    closing_date, closing = _balance(node, CLOSING_CODES, number)
    lines: list[StatementLineData] = []
    for entry in node.iterfind("{*}Ntry"):
        if _status(entry) == "BOOK":
            lines += _lines(entry, currency or _required(entry, "{*}Amt").get("Ccy", ""))
    return StatementData(
        iban=_text(node, "{*}Acct/{*}Id/{*}IBAN").replace(" ", "").upper(),
        currency=currency or (_ccy_of_balances(node) or ""),
        number=number,
        opening_date=opening_date,
        opening_balance=opening,
        closing_date=closing_date,
        closing_balance=closing,
        lines=tuple(lines),
    )


def _balance(node: etree._Element, codes: tuple[str, ...], number: str) -> tuple[dt.date, Decimal]:
    for balance in node.iterfind("{*}Bal"):
        code = _text(balance, "{*}Tp/{*}CdOrPrtry/{*}Cd")
        if code in codes:
            amount = _signed(balance)
            day = _date(balance, "{*}Dt")
            return day, amount
    raise StatementFileError(f"camt.053 statement {number}: no {'/'.join(codes)} balance")


def _ccy_of_balances(node: etree._Element) -> str | None:
    amount = node.find("{*}Bal/{*}Amt")
    return None if amount is None else amount.get("Ccy")


def _status(entry: etree._Element) -> str:
    # 001.02 writes <Sts>BOOK</Sts>; from 001.08 on it is <Sts><Cd>BOOK</Cd></Sts>.
    return _text(entry, "{*}Sts/{*}Cd") or _text(entry, "{*}Sts")


def _lines(entry: etree._Element, currency: str) -> list[StatementLineData]:
    amount = _signed(entry, currency)
    booking = _date(entry, "{*}BookgDt")
    value = _date(entry, "{*}ValDt") if entry.find("{*}ValDt") is not None else booking
    bank_ref = _text(entry, "{*}AcctSvcrRef") or _text(entry, "{*}NtryRef")
    details = entry.findall("{*}NtryDtls/{*}TxDtls")
    split = _split_amounts(details, amount, currency)
    if split is None:
        return [_line(booking, value, amount, bank_ref, details)]
    return [
        _line(booking, value, part, bank_ref, [detail])
        for part, detail in zip(split, details, strict=True)
    ]


def _split_amounts(
    details: list[etree._Element], amount: Decimal, currency: str
) -> list[Decimal] | None:
    """The transactions' own amounts when an entry holds several that add up to it."""
    if len(details) < 2:
        return None
    sign = 1 if amount > 0 else -1
    parts = []
    for detail in details:
        node = detail.find("{*}Amt")
        if node is None:
            node = detail.find("{*}AmtDtls/{*}TxAmt/{*}Amt")
        if node is None or node.get("Ccy", currency) != currency:
            return None
        parts.append(sign * _amount(node.text))
    return parts if sum(parts) == amount and all(parts) else None


def _line(
    booking: dt.date,
    value: dt.date,
    amount: Decimal,
    bank_ref: str,
    details: list[etree._Element],
) -> StatementLineData:
    party = "{*}Dbtr" if amount > 0 else "{*}Cdtr"
    names, ibans, structured, free = [], [], [], []
    for detail in details:
        related = detail.find("{*}RltdPties")
        if related is not None:
            # 001.02: <Dbtr><Nm>; 001.08+: <Dbtr><Pty><Nm>.
            names.append(
                _text(related, f"{party}/{{*}}Nm") or _text(related, f"{party}/{{*}}Pty/{{*}}Nm")
            )
            ibans.append(_text(related, f"{party}Acct/{{*}}Id/{{*}}IBAN"))
        for ref in detail.iterfind("{*}RmtInf/{*}Strd/{*}CdtrRefInf/{*}Ref"):
            structured.append(compact(ref.text or ""))
        free += [compact(node.text or "") for node in detail.iterfind("{*}RmtInf/{*}Ustrd")]
    return StatementLineData(
        booking_date=booking,
        value_date=value,
        amount=amount,
        counterparty_name=next((name for name in names if name), "")[:200],
        counterparty_iban=next((iban for iban in ibans if iban), "").replace(" ", "").upper(),
        structured_reference=next((ref for ref in structured if ref), "")[:40],
        free_text=" ".join(text for text in free if text)[:500],
        bank_reference=bank_ref[:100],
    )


# --- small readers ------------------------------------------------------------------------------


def _text(node: etree._Element, path: str) -> str:
    found = node.find(path)
    if found is None or found.text is None:
        return ""
    return compact(found.text)


def _required(node: etree._Element, path: str) -> etree._Element:
    found = node.find(path)
    if found is None:
        raise StatementFileError(f"camt.053: an element {path.replace('{*}', '')} is missing")
    return found


def _signed(node: etree._Element, currency: str = "") -> Decimal:
    amount_node = _required(node, "{*}Amt")
    if currency and amount_node.get("Ccy", currency).upper() != currency:
        raise StatementFileError(
            f"camt.053: a movement in {amount_node.get('Ccy')} on an account in {currency}"
        )
    amount = _amount(amount_node.text)
    indicator = _text(node, "{*}CdtDbtInd")
    if indicator not in ("CRDT", "DBIT"):
        raise StatementFileError(f"camt.053: credit/debit indicator {indicator!r} is not CRDT/DBIT")
    return amount if indicator == "CRDT" else -amount


def _amount(text: str | None) -> Decimal:
    value = (text or "").strip()
    if not AMOUNT.match(value):
        raise StatementFileError(f"camt.053: {value!r} is not an amount")
    try:
        return Decimal(value)
    except InvalidOperation as exc:  # pragma: no cover - the pattern already refuses it
        raise StatementFileError(f"camt.053: {value!r} is not an amount") from exc


def _date(node: etree._Element, path: str) -> dt.date:
    holder = _required(node, path)
    text = _text(holder, "{*}Dt") or _text(holder, "{*}DtTm")[:10]
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError as exc:
        raise StatementFileError(f"camt.053: {text!r} is not a date") from exc
