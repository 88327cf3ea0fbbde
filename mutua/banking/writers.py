"""Write statements as a bank would: CODA 2.6 records and camt.053 XML (001.02 or 001.08).

The product only reads statements; these writers serve the demo, the benchmark and the tests,
which build real-shaped files from the published layouts (Febelfin CODA 2.6 record positions,
ISO 20022 camt.053 message structure). Pure: no ORM.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from xml.sax.saxutils import escape

from mutua.banking.formats import StatementData, StatementLineData

# --- CODA ---------------------------------------------------------------------------------------


def coda_file(
    statements: list[StatementData], *, created: dt.date, bank_id: str = "300", bic: str = ""
) -> bytes:
    records: list[str] = []
    for statement in statements:
        records += coda_records(statement, created=created, bank_id=bank_id, bic=bic)
    return ("\r\n".join(records) + "\r\n").encode("cp1252", errors="replace")


def coda_records(
    statement: StatementData, *, created: dt.date, bank_id: str = "300", bic: str = ""
) -> list[str]:
    if len(statement.lines) > 9999:
        raise ValueError("a CODA statement holds at most 9,999 movements (4-digit sequence)")
    sequence = f"{int(statement.number or 0) % 1000:03d}"
    account = f"{statement.iban:<31}   {statement.currency:<3}"
    records = [
        _fixed(
            "0",
            "0000",
            _d(created),
            f"{bank_id:>3}"[:3],
            "05",
            " ",
            " " * 7,
            f"{'MUTUA':<10}",
            f"{'MUTUA':<26}",
            f"{bic:<11}"[:11],
            "0" * 11,
            " ",
            "00000",
            " " * 16,
            " " * 16,
            " " * 7,
            "2",
        ),
        _fixed(
            "1",
            "2",
            sequence,
            account,
            _amount(statement.opening_balance),
            _d(statement.opening_date),
            f"{'MUTUA':<26}",
            f"{'Compte courant':<35}",
            sequence,
        ),
    ]
    credit = debit = Decimal("0")
    for number, line in enumerate(statement.lines, start=1):
        records += _movement(number, line, sequence)
        if line.amount > 0:
            credit += line.amount
        else:
            debit -= line.amount
    records.append(
        _fixed(
            "8",
            sequence,
            account,
            _amount(statement.closing_balance),
            _d(statement.closing_date),
            " " * 64,
            "0",
        )
    )
    counted = len(records) - 1  # records 1, 2.x, 3.x and 8
    records.append(
        _fixed("9", " " * 15, f"{counted:06d}", _unsigned(debit), _unsigned(credit), " " * 75, "2")
    )
    return records


def _movement(number: int, line: StatementLineData, sequence: str) -> list[str]:
    seq = f"{number:04d}0000"
    if line.structured_reference.isdigit() and len(line.structured_reference) == 12:
        communication = "1" + "101" + line.structured_reference + " " * 38
    elif line.structured_reference:
        communication = "1" + "100" + f"{line.structured_reference:<50}"[:50]
    else:
        communication = "0" + f"{line.free_text:<53}"[:53]
    rest = "" if communication[0] == "1" else line.free_text[53:]
    with_info = bool(line.counterparty_name)
    return [
        _fixed(
            "21",
            seq,
            f"{line.bank_reference:<21}"[:21],
            _amount(line.amount),
            _d(line.value_date),
            "00150000",
            communication,
            _d(line.booking_date),
            sequence,
            "0",
            "1",
            " ",
            "0",
        ),
        _fixed(
            "22",
            seq,
            f"{rest:<53}"[:53],
            " " * 35,
            " " * 11,
            " " * 3,
            " ",
            " " * 4,
            " " * 4,
            " " * 4,
            "1",
            " ",
            "0",
        ),
        _fixed(
            "23",
            seq,
            f"{line.counterparty_iban:<34}"[:34] + "EUR",
            f"{line.counterparty_name:<35}"[:35],
            f"{rest[53:]:<43}"[:43],
            "0",
            " ",
            "1" if with_info else "0",
        ),
        *([_information(number, line)] if with_info else []),
    ]


def _information(number: int, line: StatementLineData) -> str:
    """Record 3.1, communication type 001: the counterparty's name and address."""
    return _fixed(
        "31",
        f"{number:04d}0001",
        f"{line.bank_reference:<21}"[:21],
        "00150000",
        "1",
        "001",
        f"{line.counterparty_name:<70}"[:70],
        " " * 12,
        "0",
        " ",
        "0",
    )


def _fixed(*parts: str) -> str:
    record = "".join(parts)
    if len(record) != 128:
        raise ValueError(f"CODA record of {len(record)} characters: {record!r}")
    return record


def _d(day: dt.date) -> str:
    return day.strftime("%d%m%y")


def _amount(value: Decimal) -> str:
    """Sign (0 credit, 1 debit) and 15 digits with three decimals."""
    return ("1" if value < 0 else "0") + _unsigned(abs(value))


def _unsigned(value: Decimal) -> str:
    return f"{int(value * 1000):015d}"


# --- camt.053 -----------------------------------------------------------------------------------


def camt053_file(
    statements: list[StatementData], *, created: dt.datetime, version: str = "08"
) -> bytes:
    body = "".join(_camt_statement(s, created, version) for s in statements)
    namespace = f"urn:iso:std:iso:20022:tech:xsd:camt.053.001.{version}"
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<Document xmlns="{namespace}"><BkToCstmrStmt>'
        f"<GrpHdr><MsgId>MUTUA{created:%Y%m%d%H%M%S}</MsgId>"
        f"<CreDtTm>{created.isoformat(timespec='seconds')}</CreDtTm></GrpHdr>"
        f"{body}</BkToCstmrStmt></Document>"
    )
    return xml.encode("utf-8")


def _camt_statement(statement: StatementData, created: dt.datetime, version: str) -> str:
    ccy = statement.currency
    balances = "".join(
        f"<Bal><Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp>"
        f'<Amt Ccy="{ccy}">{abs(amount):.2f}</Amt>'
        f"<CdtDbtInd>{'DBIT' if amount < 0 else 'CRDT'}</CdtDbtInd>"
        f"<Dt><Dt>{day.isoformat()}</Dt></Dt></Bal>"
        for code, amount, day in (
            ("OPBD", statement.opening_balance, statement.opening_date),
            ("CLBD", statement.closing_balance, statement.closing_date),
        )
    )
    entries = "".join(_camt_entry(line, ccy, version) for line in statement.lines)
    return (
        f"<Stmt><Id>{escape(statement.number)}</Id>"
        f"<ElctrncSeqNb>{escape(statement.number)}</ElctrncSeqNb>"
        f"<CreDtTm>{created.isoformat(timespec='seconds')}</CreDtTm>"
        f"<Acct><Id><IBAN>{statement.iban}</IBAN></Id><Ccy>{ccy}</Ccy></Acct>"
        f"{balances}{entries}</Stmt>"
    )


def _camt_entry(line: StatementLineData, ccy: str, version: str) -> str:
    indicator = "CRDT" if line.amount > 0 else "DBIT"
    party, account = ("Dbtr", "DbtrAcct") if line.amount > 0 else ("Cdtr", "CdtrAcct")
    name = escape(line.counterparty_name)
    person = f"<{party}><Nm>{name}</Nm></{party}>"
    if version >= "08":
        person = f"<{party}><Pty><Nm>{name}</Nm></Pty></{party}>"
    status = "<Sts>BOOK</Sts>" if version < "08" else "<Sts><Cd>BOOK</Cd></Sts>"
    if line.structured_reference:
        kind = "SCOR"
        remittance = (
            "<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>"
            f"{kind}</Cd></CdOrPrtry></Tp><Ref>{escape(line.structured_reference)}</Ref>"
            "</CdtrRefInf></Strd>"
        )
    else:
        remittance = f"<Ustrd>{escape(line.free_text)}</Ustrd>"
    iban = f"<{account}><Id><IBAN>{line.counterparty_iban}</IBAN></Id></{account}>"
    return (
        f'<Ntry><Amt Ccy="{ccy}">{abs(line.amount):.2f}</Amt><CdtDbtInd>{indicator}</CdtDbtInd>'
        f"{status}<BookgDt><Dt>{line.booking_date.isoformat()}</Dt></BookgDt>"
        f"<ValDt><Dt>{line.value_date.isoformat()}</Dt></ValDt>"
        f"<AcctSvcrRef>{escape(line.bank_reference)}</AcctSvcrRef>"
        "<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly>"
        "</Domn></BkTxCd>"
        f"<NtryDtls><TxDtls><Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs>"
        f"<RltdPties>{person}{iban if line.counterparty_iban else ''}</RltdPties>"
        f"<RmtInf>{remittance}</RmtInf></TxDtls></NtryDtls></Ntry>"
    )
