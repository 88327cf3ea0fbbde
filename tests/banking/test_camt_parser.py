"""Reading ISO 20022 camt.053 (001.02 and 001.08): balances, booked entries, batches."""

from __future__ import annotations

import contextlib
import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mutua.banking.formats import StatementFileError, read_statement_file
from tests.banking.conftest import camt, paid, statement

IBAN = "FR7630006000011234567890189"

# A camt.053.001.02 statement as French banks send it: an opening and a closing booked balance,
# a transfer with an RF reference, a batch of two transfers booked as one entry, a pending entry
# (not booked: left out), and a direct debit going out.
V02 = f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"
          xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <BkToCstmrStmt>
    <GrpHdr><MsgId>STMT20260310</MsgId><CreDtTm>2026-03-10T18:00:00</CreDtTm></GrpHdr>
    <Stmt>
      <Id>2026-069</Id>
      <ElctrncSeqNb>69</ElctrncSeqNb>
      <CreDtTm>2026-03-10T18:00:00</CreDtTm>
      <Acct><Id><IBAN>{IBAN}</IBAN></Id><Ccy>EUR</Ccy></Acct>
      <Bal>
        <Tp><CdOrPrtry><Cd>PRCD</Cd></CdOrPrtry></Tp>
        <Amt Ccy="EUR">500.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-03-09</Dt></Dt>
      </Bal>
      <Bal>
        <Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp>
        <Amt Ccy="EUR">2150.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-03-10</Dt></Dt>
      </Bal>
      <Ntry>
        <Amt Ccy="EUR">1200.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>
        <BookgDt><Dt>2026-03-10</Dt></BookgDt><ValDt><Dt>2026-03-10</Dt></ValDt>
        <AcctSvcrRef>0310A1</AcctSvcrRef>
        <NtryDtls><TxDtls>
          <RltdPties>
            <Dbtr><Nm>Compagnie des Lucioles</Nm></Dbtr>
            <DbtrAcct><Id><IBAN>FR7610107001011234567890129</IBAN></Id></DbtrAcct>
          </RltdPties>
          <RmtInf><Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp>
            <Ref>RF482600000001</Ref></CdtrRefInf></Strd></RmtInf>
        </TxDtls></NtryDtls>
      </Ntry>
      <Ntry>
        <Amt Ccy="EUR">500.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>
        <BookgDt><Dt>2026-03-10</Dt></BookgDt><ValDt><Dt>2026-03-10</Dt></ValDt>
        <AcctSvcrRef>0310A2</AcctSvcrRef>
        <NtryDtls>
          <TxDtls><AmtDtls><TxAmt><Amt Ccy="EUR">300.00</Amt></TxAmt></AmtDtls>
            <RmtInf><Ustrd>Facture 2026-000002</Ustrd></RmtInf></TxDtls>
          <TxDtls><AmtDtls><TxAmt><Amt Ccy="EUR">200.00</Amt></TxAmt></AmtDtls>
            <RmtInf><Ustrd>Facture 2026-000003</Ustrd></RmtInf></TxDtls>
        </NtryDtls>
      </Ntry>
      <Ntry>
        <Amt Ccy="EUR">999.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>PDNG</Sts>
        <BookgDt><Dt>2026-03-11</Dt></BookgDt>
      </Ntry>
      <Ntry>
        <Amt Ccy="EUR">50.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts>
        <BookgDt><Dt>2026-03-10</Dt></BookgDt><ValDt><Dt>2026-03-10</Dt></ValDt>
        <NtryDtls><TxDtls>
          <RltdPties><Cdtr><Nm>Assurances SA</Nm></Cdtr></RltdPties>
          <RmtInf><Ustrd>Prime mars</Ustrd></RmtInf>
        </TxDtls></NtryDtls>
      </Ntry>
    </Stmt>
  </BkToCstmrStmt>
</Document>
""".encode()


def test_it_reads_a_camt_053_001_02_statement() -> None:
    parsed = read_statement_file(V02)
    assert parsed.format == "camt053"
    (only,) = parsed.statements
    assert (only.iban, only.currency, only.number) == (IBAN, "EUR", "69")
    assert (only.opening_date, only.opening_balance) == (dt.date(2026, 3, 9), Decimal("500.00"))
    assert only.closing_balance == Decimal("2150.00")
    rf, first, second, debit = only.lines  # the pending entry is not booked: left out
    assert (rf.amount, rf.structured_reference) == (Decimal("1200.00"), "RF482600000001")
    assert rf.counterparty_iban == "FR7610107001011234567890129"
    assert rf.counterparty_name == "Compagnie des Lucioles"
    assert (first.amount, first.free_text) == (Decimal("300.00"), "Facture 2026-000002")
    assert (second.amount, second.free_text) == (Decimal("200.00"), "Facture 2026-000003")
    assert (debit.amount, debit.counterparty_name) == (Decimal("-50.00"), "Assurances SA")


@pytest.mark.parametrize("version", ["02", "08"])
def test_the_writer_and_the_reader_agree(version: str) -> None:
    written = statement(
        None,
        paid("1210.00", reference="RF18539007547034", name="Festival & Co <Marées>"),
        paid("-20.00", text="Frais"),
        iban=IBAN,
        currency="EUR",
    )
    (got,) = read_statement_file(camt(written, version=version)).statements
    assert got.lines == written.lines
    assert (got.opening_balance, got.closing_balance) == (Decimal("1000.00"), Decimal("2190.00"))


@pytest.mark.parametrize(
    "damage, message",
    [
        (lambda f: f[: len(f) // 2], "not well-formed"),
        (lambda f: f.replace(b"camt.053.001.02", b"camt.054.001.02"), "not an ISO 20022 camt.053"),
        (lambda f: f.replace(b"<Cd>CLBD</Cd>", b"<Cd>XXXX</Cd>"), "no CLBD balance"),
        (lambda f: f.replace(b">1200.00<", b">1200.0O<"), "not an amount"),
        (lambda f: f.replace(b">1200.00<", b">1300.00<"), "does not add up"),
        (lambda f: f.replace(b'Ccy="EUR">50.00', b'Ccy="USD">50.00'), "in USD on an account"),
        (
            lambda f: f.replace(
                b"<Dt>2026-03-10</Dt></BookgDt>", b"<Dt>10/03/2026</Dt></BookgDt>", 1
            ),
            "not a date",
        ),
        (lambda f: f.replace(b"<CdtDbtInd>DBIT", b"<CdtDbtInd>DEBT"), "CRDT/DBIT"),
    ],
)
def test_it_refuses_a_damaged_file_with_a_clear_error(damage: object, message: str) -> None:
    with pytest.raises(StatementFileError, match=message):
        read_statement_file(damage(V02))  # type: ignore[operator]


def test_it_refuses_entities_and_does_not_read_local_files() -> None:
    attack = b"""<?xml version="1.0"?>
<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><Stmt>
<Id>&x;</Id></Stmt></BkToCstmrStmt></Document>"""
    with pytest.raises(StatementFileError) as caught:
        read_statement_file(attack)
    assert "root:" not in caught.value.message


@settings(max_examples=150, deadline=None)
@given(
    position=st.integers(min_value=0, max_value=len(V02) - 1),
    replacement=st.binary(min_size=0, max_size=8),
    cut=st.integers(min_value=0, max_value=len(V02)),
)
def test_fuzzed_camt_gives_a_statement_or_a_clear_error(
    position: int, replacement: bytes, cut: int
) -> None:
    damaged = (V02[:position] + replacement + V02[position + len(replacement) :])[:cut]
    with contextlib.suppress(StatementFileError):
        read_statement_file(damaged)


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet='<>/=" abcdeDocumentStmtBalAmtNtry:0123456789.', max_size=300))
def test_random_markup_gives_a_clear_error(text: str) -> None:
    with contextlib.suppress(StatementFileError):
        read_statement_file(b"<" + text.encode())
