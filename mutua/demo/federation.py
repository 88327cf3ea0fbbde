"""A believable, deterministic demo federation: BE, FR and SE entities, staff, 60 members.

Everything is created through the same actions the product uses, so the demo also has an audit
trail. Later issues add their objects (activities, invoices, payslips...) here.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal

from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from mutua.core import clock
from mutua.core.permissions import Role
from mutua.demo import identifiers as ids
from mutua.demo.money import build_money_loop
from mutua.entities.models import Entity, FeeRate
from mutua.members import actions
from mutua.members.models import MaritalStatus, Membership
from mutua.reporting.demo import build_rates_demo

PASSWORD = "mutua-demo-2026"
# Base32 secret shared by the demo staff so a tester can add it to an authenticator app once.
STAFF_TOTP_SECRET = "MUTUADEMOSTAFFTOTPSECRETAAAAAAAA"

ENTITIES = [
    {
        "code": "BE",
        "name": "Mutua Belgium",
        "legal_name": "Mutua Belgique-België SC",
        "country": "BE",
        "currency": "EUR",
        "languages": "fr,nl,en",
        "city": "Bruxelles",
        "postcode": "1060",
        "street": "Rue Coenraets 72",
        "fee": ("0.06500", "0", "SMart fee: 6.5 % of the amount invoiced excl. VAT"),
    },
    {
        "code": "FR",
        "name": "Mutua France",
        "legal_name": "Mutua France SCOP SA (CAE)",
        "country": "FR",
        "currency": "EUR",
        "languages": "fr,en",
        "city": "Paris",
        "postcode": "75011",
        "street": "12 rue de la Roquette",
        "fee": ("0.13500", "30.00", "Coopaname: 13.5 % of gross margin + EUR 30 a month"),
    },
    {
        "code": "SE",
        "name": "Mutua Sverige",
        "legal_name": "Mutua Sverige ekonomisk förening",
        "country": "SE",
        "currency": "SEK",
        "languages": "sv,en",
        "city": "Stockholm",
        "postcode": "11122",
        "street": "Drottninggatan 5",
        "fee": ("0.06500", "0", "Smart Sweden: 6.5 %"),
    },
]

FIRST_NAMES = {
    "BE": ["Léa", "Lucas", "Emma", "Noah", "Louise", "Arthur", "Lotte", "Wout", "Fatima", "Jules"],
    "FR": ["Camille", "Hugo", "Manon", "Théo", "Chloé", "Nathan", "Inès", "Yanis", "Sarah", "Paul"],
    "SE": ["Astrid", "Oscar", "Elsa", "William", "Maja", "Hugo", "Ebba", "Liam", "Saga", "Nils"],
}
LAST_NAMES = {
    "BE": ["Peeters", "Dubois", "Janssens", "Lambert", "Maes", "Dupont", "Claes", "El Amrani"],
    "FR": ["Martin", "Bernard", "Moreau", "Laurent", "Garnier", "Rousseau", "Diallo", "Nguyen"],
    "SE": ["Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Lindqvist"],
}
CITIES = {
    "BE": [("1000", "Bruxelles"), ("2000", "Antwerpen"), ("4000", "Liège"), ("9000", "Gent")],
    "FR": [("75011", "Paris"), ("69001", "Lyon"), ("13001", "Marseille"), ("44000", "Nantes")],
    "SE": [("11122", "Stockholm"), ("41101", "Göteborg"), ("21119", "Malmö")],
}
MEMBERS_PER_ENTITY = {"BE": 30, "FR": 18, "SE": 12}
STAFF_ROLES = [Role.ADVISER, Role.ACCOUNTANT, Role.PAYROLL_OFFICER]


@dataclass
class DemoLogins:
    staff: list[tuple[str, str]] = field(default_factory=list)
    members: list[tuple[str, str]] = field(default_factory=list)


def federation_exists() -> bool:
    return Entity.objects.filter(code__in=[e["code"] for e in ENTITIES]).exists()


@transaction.atomic
def build_federation(seed: int = 2026) -> DemoLogins:
    rng = random.Random(seed)
    password_hash = make_password(PASSWORD)  # hashed once: hashing per user would take minutes
    logins = DemoLogins()
    admin = _user("admin@mutua.test", password_hash, superuser=True)
    actions.grant_role(actor=None, user=admin, role=Role.ADMINISTRATOR, entity=None)
    logins.staff.append(("admin@mutua.test", "administrator, whole federation"))
    for index, spec in enumerate(ENTITIES, start=1):
        entity = _entity(spec, index, rng)
        advisers = _staff(entity, password_hash, admin, logins)
        _members(entity, advisers[0], password_hash, rng, logins)
    board = _user("board@mutua.test", password_hash)
    actions.grant_role(
        actor=admin, user=board, role=Role.BOARD, entity=Entity.objects.get(code="BE")
    )
    logins.staff.append(("board@mutua.test", "board member, BE"))
    for user in get_user_model().objects.filter(staff_roles__isnull=False).distinct():
        TOTP.activate(user, STAFF_TOTP_SECRET)
    for entity in Entity.objects.order_by("code"):
        build_money_loop(entity, rng)
    build_rates_demo(clock.today(), rng)
    return logins


def _user(email: str, password_hash: str, *, superuser: bool = False) -> object:
    user = get_user_model().objects.create(
        username=email.split("@")[0],
        email=email,
        password=password_hash,
        is_staff=superuser,
        is_superuser=superuser,
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def _entity(spec: dict, index: int, rng: random.Random) -> Entity:
    country = spec["country"]
    if country == "BE":
        company = ids.be_company_number(index * 11)
        vat = f"BE{company}"
    elif country == "FR":
        company = ids.fr_siren(index * 11)
        vat = ids.fr_vat(company)
    else:
        company = ids.se_orgnr(index * 11)
        vat = f"SE{company}01"
    entity = Entity(
        **{k: v for k, v in spec.items() if k != "fee"},
        vat_number=vat,
        company_number=company,
        iban=ids.iban(country, rng),
        email=f"contact-{country.lower()}@mutua.test",
    )
    entity.full_clean()
    entity.save()
    rate, fixed, source = spec["fee"]
    FeeRate.objects.create(
        entity=entity,
        rate=Decimal(rate),
        fixed_monthly=Decimal(fixed),
        valid_from=dt.date(2024, 1, 1),
        source=source,
    )
    return entity


def _staff(entity: Entity, password_hash: str, admin: object, logins: DemoLogins) -> list[object]:
    users = []
    for role in STAFF_ROLES:
        email = f"{role.value.replace('_', '-')}-{entity.code.lower()}@mutua.test"
        user = _user(email, password_hash)
        actions.grant_role(actor=admin, user=user, role=role, entity=entity)
        logins.staff.append((email, f"{role.label}, {entity.code}"))
        users.append(user)
    return users


def _members(
    entity: Entity, adviser: object, password_hash: str, rng: random.Random, logins: DemoLogins
) -> None:
    count = MEMBERS_PER_ENTITY[entity.code]
    for n in range(count):
        email = _member_email(entity, n)
        user = _user(email, password_hash)
        identity = _identity(entity.country, n, rng)
        membership = actions.apply_for_membership(user=user, entity=entity, identity=identity)
        actions.update_household(actor=user, person=membership.person, household=_household(rng))
        _decide(membership, adviser, n, count)
        if n in (0, count - 1):
            logins.members.append(
                (
                    email,
                    f"{identity.first_name} {identity.last_name}, "
                    f"{entity.code}, {_status_word(n, count)}",
                )
            )


def _member_email(entity: Entity, n: int) -> str:
    if entity.code == "BE" and n == 0:
        return "member@mutua.test"
    if entity.code == "FR" and n == 0:
        return "member2@mutua.test"
    return f"member-{entity.code.lower()}-{n:02d}@mutua.test"


def _status_word(n: int, count: int) -> str:
    return "applicant" if n >= count - 3 else "active member"


def _identity(country: str, n: int, rng: random.Random) -> actions.Identity:
    female = rng.random() < 0.5
    birth = dt.date(rng.randint(1960, 2003), rng.randint(1, 12), rng.randint(1, 28))
    national = {
        "BE": lambda: ids.be_national_number(birth, n * 2 + (0 if female else 1)),
        "FR": lambda: ids.fr_nir(birth, n, female),
        "SE": lambda: ids.se_personnummer(birth, n),
    }[country]()
    postcode, city = rng.choice(CITIES[country])
    language = {"BE": rng.choice(["fr", "nl", "en"]), "FR": "fr", "SE": "en"}[country]
    return actions.Identity(
        first_name=rng.choice(FIRST_NAMES[country]),
        last_name=rng.choice(LAST_NAMES[country]),
        country=country,
        birth_date=birth,
        national_number=national,
        street=f"{rng.randint(1, 180)} {rng.choice(['Main', 'Station', 'Church', 'Mill'])} Street",
        postcode=postcode,
        city=city,
        phone=f"+{rng.randint(30, 49)} {rng.randint(400000000, 499999999)}",
        iban=ids.iban(country, rng),
        preferred_language=language,
    )


def _household(rng: random.Random) -> actions.Household:
    marital = rng.choice(list(MaritalStatus.values))
    children = rng.choice([0, 0, 0, 1, 2, 3])
    return actions.Household(
        marital_status=marital,
        partner_has_income=marital not in ("married", "cohabiting") or rng.random() < 0.7,
        dependent_children=children,
        disabled_dependent_children=1 if children and rng.random() < 0.1 else 0,
        single_parent=bool(children) and marital in ("single", "divorced", "widowed"),
        artist_certificate_until=dt.date(2027, 6, 30) if rng.random() < 0.2 else None,
    )


def _decide(membership: Membership, adviser: object, n: int, count: int) -> None:
    """Most are active; the last three stay in the adviser's queue; a few were suspended or left."""
    if n >= count - 3:
        return
    actions.approve_membership(actor=adviser, membership=membership)
    if n % 11 == 5:
        actions.suspend_membership(
            actor=adviser, membership=membership, reason="identity document expired"
        )
    elif n % 13 == 7:
        actions.record_departure(actor=adviser, membership=membership, reason="started a company")
