"""Benchmark of a large hybrid assembly (issue 8): 5,000 shareholders on the roll, 800 voting
online on 20 items. Every vote goes through the `cast_vote` action (one transaction, one audit
event, the unique constraint); each item is then closed, which tallies it.

The scene (entity, people, shareholders and their shares) is built set-based beforehand and not
timed; convening (taking the roll of 5,000) is timed apart. Never part of the unit tests.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mutua_governance_bench \\
        .venv/bin/python -m mutua.governance.bench --members 5000 --voters 800 --items 20
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import time
from decimal import Decimal
from typing import Any

from mutua.core import clock

ON = dt.date(2026, 3, 2)


def bench_assembly(
    members: int = 5_000, voters: int = 800, items: int = 20, workers: int = 1
) -> dict[str, Any]:
    from django.test.utils import override_settings

    from mutua.governance import assembly_actions as actions
    from mutua.governance.models import Participant

    entity, board = _scene(members)
    assembly = actions.create_assembly(
        entity=entity,
        kind="ordinary",
        title="Bench",
        acting_user=board,
        starts_at=clock.now() + dt.timedelta(days=20),
    )
    for n in range(items):
        actions.add_agenda_item(assembly=assembly, title=f"Resolution {n + 1}", acting_user=board)
    started = time.perf_counter()
    # The 5,000 convocation e-mails are composed and handed to an in-memory outbox.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        actions.convene_assembly(assembly=assembly, acting_user=board)
    convene_seconds = time.perf_counter() - started
    actions.open_assembly(assembly=assembly, acting_user=board)
    online = list(
        Participant.objects.filter(assembly=assembly)
        .select_related("person__user")
        .order_by("?")[:voters]
    )
    vote_seconds, tally_seconds, adopted = 0.0, [], 0
    for item in assembly.items.order_by("position"):
        actions.open_item(item=item, acting_user=board)
        started = time.perf_counter()
        _vote_all(item, online, workers)
        vote_seconds += time.perf_counter() - started
        started = time.perf_counter()
        closed = actions.close_item(item=item, acting_user=board)
        tally_seconds.append(time.perf_counter() - started)
        adopted += bool(closed.adopted)
    votes = voters * items
    return {
        "members": members,
        "voters_online": voters,
        "concurrent_voters": workers,
        "items": items,
        "votes": votes,
        "convene_seconds": round(convene_seconds, 2),
        "vote_seconds": round(vote_seconds, 2),
        "votes_per_s": round(votes / vote_seconds),
        "tally_ms_mean": round(1000 * sum(tally_seconds) / len(tally_seconds), 1),
        "tally_ms_max": round(1000 * max(tally_seconds), 1),
        "adopted": adopted,
    }


def _vote_all(item: Any, online: list[Any], workers: int) -> None:
    """Every online voter votes once on the item, from `workers` connections at once."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connections

    from mutua.governance.assembly_actions import cast_vote

    def vote(share: list[Any]) -> None:
        rng = random.Random(item.pk)  # noqa: S311 (a repeatable vote)
        try:
            for line in share:
                choice = rng.choice(("for", "for", "against", "abstain"))
                cast_vote(item=item, participant=line, choice=choice, acting_user=line.person.user)
        finally:
            if workers > 1:
                connections.close_all()  # each thread has its own connection

    shares = [online[n::workers] for n in range(workers)]
    if workers == 1:
        vote(shares[0])
        return
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(vote, shares))


def _scene(members: int) -> tuple[Any, Any]:
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from mutua.core.permissions import Role
    from mutua.governance.models import ShareClass, Shareholder, ShareMovement
    from mutua.members.models import Person, StaffRole

    with transaction.atomic():
        entity = _entity()
        users = get_user_model().objects.bulk_create(
            get_user_model()(username=f"gb{entity.pk}-{n}", email=f"gb{entity.pk}-{n}@bench.test")
            for n in range(members + 1)
        )
        board = users[-1]
        StaffRole.objects.create(user=board, role=Role.BOARD, entity=entity)
        people = Person.objects.bulk_create(
            Person(user=user, first_name="Member", last_name=str(n), country="BE")
            for n, user in enumerate(users[:members])
        )
        share_class = ShareClass.objects.create(
            entity=entity, code="A", name="Members", nominal_value=Decimal(30), currency="EUR"
        )
        holders = Shareholder.objects.bulk_create(
            Shareholder(
                entity=entity,
                number=n + 1,
                kind="person",
                person=person,
                name=f"Member {n}",
                address="Brussels",
                registered_on=ON,
            )
            for n, person in enumerate(people)
        )
        ShareMovement.objects.bulk_create(
            ShareMovement(
                entity=entity,
                holder=holder,
                share_class=share_class,
                kind="issue",
                quantity=1 + n % 5,
                paid_up=Decimal(30 * (1 + n % 5)),
                date=ON,
                key=f"bench:{holder.pk}",
            )
            for n, holder in enumerate(holders)
        )
    return entity, board


def _entity() -> Any:
    from mutua.demo import identifiers as ids
    from mutua.entities.models import Entity

    n = Entity.objects.count() + 1
    company = ids.be_company_number(8000 + n)
    return Entity.objects.create(
        code=f"G{n:03d}",
        name=f"Assembly bench {n}",
        legal_name=f"Assembly bench {n} SC",
        country="BE",
        currency="EUR",
        languages="fr,nl,en",
        vat_number=f"BE{company}",
        company_number=company,
        iban=ids.iban("BE", random.Random(n)),  # noqa: S311
    )


def main() -> None:
    import os

    import django

    parser = argparse.ArgumentParser(prog="python -m mutua.governance.bench", description=__doc__)
    parser.add_argument("--members", type=int, default=5_000)
    parser.add_argument("--voters", type=int, default=800)
    parser.add_argument("--items", type=int, default=20)
    parser.add_argument("--workers", type=int, default=1, help="voters voting at the same time")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mutua.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    result = bench_assembly(args.members, args.voters, args.items, args.workers)
    result["database"] = connection.vendor
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
