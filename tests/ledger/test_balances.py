import datetime as dt
from decimal import Decimal

from mutua.entities.models import Entity
from mutua.ledger import queries
from mutua.ledger.drafts import EntryDraft, LineDraft
from mutua.ledger.models import Account, Balance
from tests.ledger.conftest import make_activity, make_client, post, sale


def test_the_trial_balance_sums_the_accounts_up_to_a_date(books_be: Entity) -> None:
    post(sale(books_be, "100.00", on=dt.date(2025, 1, 10)))
    post(sale(books_be, "50.50", on=dt.date(2025, 2, 10)))
    january = {
        row.code: row.balance for row in queries.trial_balance(books_be, dt.date(2025, 1, 31))
    }
    assert january == {"400000": Decimal("100.00"), "700000": Decimal("-100.00")}
    rows = queries.trial_balance(books_be)
    assert sum(r.debit for r in rows) == sum(r.credit for r in rows) == Decimal("150.50")


def test_activity_and_client_balances_come_from_their_dimension(books_be: Entity) -> None:
    studio, band = make_activity(books_be), make_activity(books_be)
    client = make_client(books_be)
    post(sale(books_be, "800.00", activity=studio, client=client))
    post(sale(books_be, "300.00", activity=band))
    fee = EntryDraft(
        books_be.pk,
        "OD",
        dt.date(2025, 3, 20),
        "Fee",
        (
            LineDraft("640000", debit=Decimal("52.00"), activity_id=studio.pk),
            LineDraft("743000", credit=Decimal("52.00")),
        ),
    )
    post(fee)
    assert queries.activity_balance(studio) == Decimal("748.00")
    assert queries.activity_balance(band) == Decimal("300.00")
    assert queries.activity_balance(studio, dt.date(2025, 3, 14)) == Decimal("800.00")
    assert queries.client_balance(client) == Decimal("800.00")


def test_balances_are_kept_per_day_not_per_line(books_be: Entity) -> None:
    for _ in range(5):
        post(sale(books_be, "10.00"))
    receivable = Account.objects.get(entity=books_be, code="400000")
    row = Balance.objects.get(account=receivable, dimension="")
    assert row.debit == Decimal("50.00") and row.day == dt.date(2025, 3, 14)


def test_an_account_statement_runs_from_the_opening_balance(books_be: Entity) -> None:
    post(sale(books_be, "100.00", on=dt.date(2025, 1, 10)))
    post(sale(books_be, "40.00", on=dt.date(2025, 2, 10)))
    post(sale(books_be, "2.00", on=dt.date(2025, 3, 10)))
    receivable = Account.objects.select_related("entity").get(entity=books_be, code="400000")
    statement = queries.account_statement(receivable, dt.date(2025, 2, 1), dt.date(2025, 3, 31))
    assert statement.opening == Decimal("100.00")
    assert [line.running for line in statement.lines] == [Decimal("140.00"), Decimal("142.00")]
    assert statement.closing == queries.account_balance(receivable)


def test_an_activity_statement_shows_what_came_in_and_went_out(books_be: Entity) -> None:
    studio = make_activity(books_be)
    post(sale(books_be, "1000.00", activity=studio))
    pay = EntryDraft(
        books_be.pk,
        "SAL",
        dt.date(2025, 3, 28),
        "Salary",
        (
            LineDraft("620200", debit=Decimal("600.00"), activity_id=studio.pk),
            LineDraft("455000", credit=Decimal("600.00")),
        ),
    )
    post(pay)
    report = queries.activity_statement(studio, dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert (report.came_in, report.went_out, report.balance) == (
        Decimal("1000.00"),
        Decimal("600.00"),
        Decimal("400.00"),
    )
    assert report.balance == queries.activity_balance(studio)
