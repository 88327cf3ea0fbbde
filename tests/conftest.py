"""Factories and named personas shared by the tests."""

from __future__ import annotations

import datetime as dt
import itertools
import random
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from allauth.account.internal.flows.login import record_authentication
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth import get_user_model
from django.test import Client, RequestFactory
from django.utils import timezone

from mutua.core.permissions import Role
from mutua.demo import identifiers as ids
from mutua.entities.models import Entity, FeeRate
from mutua.members import actions
from mutua.members.models import Membership, StaffRole

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
PASSWORD = "correct-horse-battery-staple"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
_serial = itertools.count(1)


# The suite's "today": every test starts at this instant (10:00 in Brussels, a Monday) and time
# flows from there; no test reads the wall clock, so the suite passes on any real date.
SUITE_NOW = dt.datetime(2026, 6, 15, 8, 0, tzinfo=dt.UTC)


class TestClock:
    """Django's `timezone.now`, which `mutua.core.clock` and Django itself read, moved to a
    chosen instant. It flows with the monotonic clock unless frozen; `move_to` and `tick` travel.
    Tests that need the whole process frozen (signatures and TOTP read `time.time`) call
    `stand_down()` and use freezegun instead."""

    __test__ = False

    def __init__(self, real_now: Callable[[], dt.datetime]) -> None:
        self.real_now = real_now
        self.active = True
        self.move_to(SUITE_NOW)

    def __call__(self) -> dt.datetime:
        if not self.active:
            return self.real_now()
        if self.frozen:
            return self.instant
        return self.instant + dt.timedelta(seconds=time.monotonic() - self.started)

    def move_to(self, when: dt.datetime | dt.date | str, *, frozen: bool = False) -> None:
        if isinstance(when, str):
            when = dt.datetime.fromisoformat(when)
        if not isinstance(when, dt.datetime):
            when = dt.datetime.combine(when, dt.time(10, 0))
        if timezone.is_naive(when):
            when = timezone.make_aware(when)
        self.instant, self.started, self.frozen = when, time.monotonic(), frozen

    def freeze(self, when: dt.datetime | dt.date | str | None = None) -> None:
        self.move_to(when or self(), frozen=True)

    def tick(self, delta: dt.timedelta) -> None:
        self.move_to(self() + delta, frozen=self.frozen)

    def stand_down(self) -> None:
        self.active = False


REAL_NOW = timezone.now


def _holders_of_now() -> list[Any]:
    """Modules that imported `now` by name (django-axes does): moved with `timezone.now`."""
    return [
        module
        for module in list(sys.modules.values())
        if module is not None and getattr(module, "now", None) is REAL_NOW
    ]


@pytest.fixture(autouse=True)
def clock(monkeypatch: pytest.MonkeyPatch) -> TestClock:
    test_clock = TestClock(REAL_NOW)
    monkeypatch.setattr(timezone, "now", test_clock)
    for module in _holders_of_now():
        monkeypatch.setattr(module, "now", test_clock)
    return test_clock


@pytest.fixture(autouse=True)
def _fast_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def make_user(email: str | None = None, *, password: str = PASSWORD) -> Any:
    n = next(_serial)
    email = email or f"user{n}@example.test"
    user = get_user_model().objects.create_user(username=f"u{n}", email=email, password=password)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def make_entity(code: str = "BE", **overrides: Any) -> Entity:
    n = next(_serial)
    country = overrides.pop("country", code[:2] if code[:2] in ("BE", "FR", "SE") else "BE")
    company, vat = {
        "BE": lambda: (ids.be_company_number(n), f"BE{ids.be_company_number(n)}"),
        "FR": lambda: (ids.fr_siren(n), ids.fr_vat(ids.fr_siren(n))),
        "SE": lambda: (ids.se_orgnr(n), f"SE{ids.se_orgnr(n)}01"),
    }[country]()
    fields = {
        "code": code,
        "name": f"Mutua {code}",
        "legal_name": f"Mutua {code} SC",
        "country": country,
        "currency": "SEK" if country == "SE" else "EUR",
        "languages": "fr,nl,en",
        "vat_number": vat,
        "company_number": company,
        "iban": ids.iban(country, random.Random(n)),
    }
    fields.update(overrides)
    entity = Entity(**fields)
    entity.full_clean()
    entity.save()
    FeeRate.objects.create(entity=entity, rate=Decimal("0.065"), valid_from=dt.date(2024, 1, 1))
    return entity


def identity_for(country: str = "BE", **overrides: Any) -> actions.Identity:
    n = next(_serial)
    birth = dt.date(1985, 3, 14)
    national = {
        "BE": ids.be_national_number(birth, n),
        "FR": ids.fr_nir(birth, n, female=True),
        "SE": ids.se_personnummer(birth, n),
    }[country]
    values: dict[str, Any] = {
        "first_name": "Ada",
        "last_name": f"Member{n}",
        "country": country,
        "birth_date": birth,
        "national_number": national,
        "iban": ids.iban(country, random.Random(n)),
    }
    values.update(overrides)
    return actions.Identity(**values)


def make_staff(entity: Entity | None, role: str = Role.ADVISER, *, mfa: bool = True) -> Any:
    user = make_user()
    StaffRole.objects.create(user=user, role=role, entity=entity)
    if mfa:
        TOTP.activate(user, TOTP_SECRET)
    return user


def make_member(entity: Entity, *, approve: bool = True, email: str | None = None) -> Membership:
    user = make_user(email)
    membership = actions.apply_for_membership(
        user=user, entity=entity, identity=identity_for(entity.country)
    )
    if approve:
        adviser = StaffRole.objects.filter(entity=entity, role=Role.ADVISER).first()
        approver = adviser.user if adviser else make_staff(entity)
        membership = actions.approve_membership(actor=approver, membership=membership)
    return membership


def login(client: Client, user: Any) -> Client:
    """Signed in as a real sign-in leaves it: with TOTP set up, the session also holds allauth's
    record of a code entered (staff reach nothing without it: mutua.members.second_factor)."""
    client.force_login(user, backend=MODEL_BACKEND)
    if Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        request = RequestFactory().get("/")
        request.session = client.session
        record_authentication(request, user, "mfa", type="totp")
        request.session.save()
    return client


@pytest.fixture
def entity_be(db: Any) -> Entity:
    return make_entity("BE")


@pytest.fixture
def entity_fr(db: Any) -> Entity:
    return make_entity("FR")


@pytest.fixture
def adviser_be(entity_be: Entity) -> Any:
    return make_staff(entity_be, Role.ADVISER)


@pytest.fixture
def alice(entity_be: Entity, adviser_be: Any) -> Membership:
    """An active Belgian member."""
    return make_member(entity_be)


@pytest.fixture
def bob(entity_be: Entity, adviser_be: Any) -> Membership:
    """Another active Belgian member: Alice must never see his data, nor he hers."""
    return make_member(entity_be)


@pytest.fixture
def client_for() -> Callable[[Any], Client]:
    return lambda user: login(Client(), user)
