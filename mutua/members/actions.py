"""Write path for people, memberships, staff roles and access tokens."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from mutua.core import audit, clock
from mutua.core.audit import action
from mutua.core.errors import AccessDenied, InvalidInput, StateConflict
from mutua.core.identifiers import validate_iban
from mutua.core.permissions import Role
from mutua.countries.registry import rules_for
from mutua.entities.models import Entity
from mutua.entities.queries import take_number
from mutua.members.models import (
    AccessToken,
    MaritalStatus,
    Membership,
    MembershipStatus,
    Person,
    StaffRole,
    TokenGrant,
    TokenScope,
)
from mutua.members.notifications import (
    notify_decision_after_commit,
    notify_iban_changed_after_commit,
)
from mutua.members.queries import (
    LIVE_MEMBERSHIP,
    MEMBER_FILE_ROLES,
    has_role,
    token_digest,
    token_grants,
)
from mutua.members.second_factor import has_totp, needs_second_factor

PERSON_FIELDS = (
    "first_name",
    "last_name",
    "birth_date",
    "country",
    "national_number",
    "street",
    "postcode",
    "city",
    "phone",
    "iban",
    "preferred_language",
)
HOUSEHOLD_FIELDS = (
    "marital_status",
    "partner_has_income",
    "dependent_children",
    "disabled_dependent_children",
    "single_parent",
    "artist_certificate_until",
    "municipality",
    "tax_table",
)
MEMBERSHIP_FIELDS = ("status", "number", "decided_at", "ended_at", "end_reason")


@dataclass(frozen=True)
class Identity:
    first_name: str
    last_name: str
    country: str
    birth_date: dt.date | None = None
    national_number: str = ""
    street: str = ""
    postcode: str = ""
    city: str = ""
    phone: str = ""
    iban: str = ""
    preferred_language: str = "en"


@dataclass(frozen=True)
class Household:
    marital_status: str = MaritalStatus.SINGLE
    partner_has_income: bool = True
    dependent_children: int = 0
    disabled_dependent_children: int = 0
    single_parent: bool = False
    artist_certificate_until: dt.date | None = None
    municipality: str = ""
    tax_table: int | None = None


def checked_identity(identity: Identity) -> Identity:
    """Validate names, national number (by the country's rules) and IBAN; return them compact."""
    for name in ("first_name", "last_name"):
        if not getattr(identity, name).strip():
            raise InvalidInput("this field is required", field=name)
    rules = rules_for(identity.country)
    values = asdict(identity)
    if identity.national_number:
        values["national_number"] = rules.validate_national_number(identity.national_number)
    if identity.iban:
        values["iban"] = validate_iban(identity.iban)
    return Identity(**values)


def checked_household(household: Household) -> Household:
    if household.marital_status not in MaritalStatus.values:
        raise InvalidInput("unknown marital status", field="marital_status")
    if household.dependent_children < 0 or household.disabled_dependent_children < 0:
        raise InvalidInput("cannot be negative", field="dependent_children")
    if household.tax_table is not None and not 1 <= household.tax_table <= 99:
        raise InvalidInput("the tax table is a number from 1 to 99", field="tax_table")
    if household.disabled_dependent_children > household.dependent_children:
        raise InvalidInput(
            "cannot exceed the number of dependent children", field="disabled_dependent_children"
        )
    return household


@action("membership.apply")
def apply_for_membership(*, user: Any, entity: Entity, identity: Identity) -> Membership:
    """A signed-up user gives identity and bank details and applies to join an entity."""
    identity = checked_identity(identity)
    person = Person.objects.filter(user=user).first()
    before = audit.snapshot(person, PERSON_FIELDS)
    if person is None:
        person = Person(user=user)
    elif Membership.objects.filter(person=person, entity=entity).exists():
        raise StateConflict(f"you already have a membership in {entity.name}", field="entity")
    elif identity.iban != person.iban:
        # Changing the account pay goes to asks for the password (and TOTP): the profile does.
        raise InvalidInput(
            "change your bank account on your profile, where it asks for your password",
            field="iban",
        )
    for name, value in asdict(identity).items():
        setattr(person, name, value)
    person.save()
    membership = Membership.objects.create(person=person, entity=entity)
    audit.record(
        actor=user,
        action="membership.apply",
        subject=membership,
        entity_id=entity.pk,
        before=before,
        after={**(audit.snapshot(person, PERSON_FIELDS) or {}), "entity": entity.code},
    )
    return membership


@dataclass(frozen=True)
class Reauthentication:
    """What the user typed to prove it is them, again: their password, and a TOTP code when
    they have set TOTP up."""

    password: str = ""
    totp_code: str = ""


def check_reauthentication(user: Any, proof: Reauthentication | None) -> None:
    """Refuse unless `proof` holds the user's current password and, if they have TOTP, a valid
    code (each code once: allauth remembers the codes used)."""
    if proof is None or not proof.password or not user.check_password(proof.password):
        raise InvalidInput("enter your current password", field="current_password")
    if has_totp(user):
        from allauth.mfa.models import Authenticator
        from allauth.mfa.totp.internal.auth import TOTP

        authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
        if not proof.totp_code.strip() or not TOTP(authenticator).validate_code(
            proof.totp_code.strip()
        ):
            raise InvalidInput("enter the code your authenticator app shows", field="totp_code")


@action("person.update_identity")
def update_identity(
    *,
    actor: Any,
    person: Person,
    identity: Identity,
    reauthentication: Reauthentication | None = None,
) -> Person:
    """Change the identity and bank details. A new IBAN (where pay and refunds go) needs the
    actor's password and TOTP code again; the member gets a mail, and payouts to the new account
    wait for a staff check for 7 days (mutua.banking.payouts)."""
    identity = checked_identity(identity)
    iban_changed = identity.iban != person.iban
    if iban_changed:
        check_reauthentication(actor, reauthentication)
    before = audit.snapshot(person, PERSON_FIELDS)
    for name, value in asdict(identity).items():
        setattr(person, name, value)
    if iban_changed:
        person.iban_changed_at = clock.now()
    person.save()
    audit.record(
        actor=actor,
        action="person.update_identity",
        subject=person,
        before=before,
        after={
            **(audit.snapshot(person, PERSON_FIELDS) or {}),
            **({"iban_changed_at": person.iban_changed_at} if iban_changed else {}),
        },
    )
    if iban_changed:
        notify_iban_changed_after_commit(person)
    return person


@action("person.update_household")
def update_household(*, actor: Any, person: Person, household: Household) -> Person:
    """The household situation drives withholding tax: changes are audited like pay data."""
    household = checked_household(household)
    before = audit.snapshot(person, HOUSEHOLD_FIELDS)
    for name in HOUSEHOLD_FIELDS:
        setattr(person, name, getattr(household, name))
    person.save()
    audit.record(
        actor=actor,
        action="person.update_household",
        subject=person,
        before=before,
        after=audit.snapshot(person, HOUSEHOLD_FIELDS),
    )
    return person


def _require_member_file_role(actor: Any, entity: Entity) -> None:
    if not has_role(actor, MEMBER_FILE_ROLES, entity):
        raise AccessDenied(f"only an adviser or administrator of {entity.code} may do this")


def _change_status(
    *,
    actor: Any,
    membership: Membership,
    name: str,
    allowed_from: tuple[str, ...],
    changes: Callable[[Membership], dict[str, Any]],
) -> Membership:
    """Check who may act and from which status, then apply `changes` (computed after the checks,
    so a refused change never takes a member number)."""
    _require_member_file_role(actor, membership.entity)
    membership = (
        Membership.objects.select_for_update()
        .select_related("entity", "person")
        .get(pk=membership.pk)
    )
    if membership.status not in allowed_from:
        raise StateConflict(f"membership is {membership.status}: cannot {name.split('.')[-1]}")
    if membership.person.user_id == getattr(actor, "pk", None):
        raise AccessDenied("staff cannot decide on their own membership")
    before = audit.snapshot(membership, MEMBERSHIP_FIELDS)
    for key, value in changes(membership).items():
        setattr(membership, key, value)
    membership.save()
    audit.record(
        actor=actor,
        action=name,
        subject=membership,
        entity_id=membership.entity_id,
        before=before,
        after=audit.snapshot(membership, MEMBERSHIP_FIELDS),
    )
    return membership


def _decided(membership: Membership) -> Membership:
    notify_decision_after_commit(membership)
    return membership


def _member_number(membership: Membership) -> str:
    entity = membership.entity
    seq = take_number(entity, "member")
    return entity.member_number_format.format(code=entity.code, year=0, seq=seq)


@action("membership.approve")
def approve_membership(*, actor: Any, membership: Membership) -> Membership:
    """An adviser accepts an applicant; the member number comes from a gapless sequence."""
    return _decided(
        _change_status(
            actor=actor,
            membership=membership,
            name="membership.approve",
            allowed_from=(MembershipStatus.APPLICANT,),
            changes=lambda m: {
                "status": MembershipStatus.ACTIVE,
                "number": _member_number(m),
                "decided_at": clock.now(),
                "decided_by": actor,
            },
        )
    )


@action("membership.reject")
def reject_membership(*, actor: Any, membership: Membership, reason: str) -> Membership:
    if not reason.strip():
        raise InvalidInput("give the applicant a reason", field="reason")
    now = clock.now()
    return _decided(
        _change_status(
            actor=actor,
            membership=membership,
            name="membership.reject",
            allowed_from=(MembershipStatus.APPLICANT,),
            changes=lambda m: {
                "status": MembershipStatus.LEFT,
                "decided_at": now,
                "decided_by": actor,
                "ended_at": now,
                "end_reason": f"application refused: {reason.strip()}",
            },
        )
    )


@action("membership.suspend")
def suspend_membership(*, actor: Any, membership: Membership, reason: str) -> Membership:
    if not reason.strip():
        raise InvalidInput("a suspension needs a reason", field="reason")
    return _change_status(
        actor=actor,
        membership=membership,
        name="membership.suspend",
        allowed_from=(MembershipStatus.ACTIVE,),
        changes=lambda m: {"status": MembershipStatus.SUSPENDED, "end_reason": reason.strip()},
    )


@action("membership.reinstate")
def reinstate_membership(*, actor: Any, membership: Membership) -> Membership:
    return _change_status(
        actor=actor,
        membership=membership,
        name="membership.reinstate",
        allowed_from=(MembershipStatus.SUSPENDED,),
        changes=lambda m: {"status": MembershipStatus.ACTIVE, "end_reason": ""},
    )


@action("membership.leave")
def record_departure(*, actor: Any, membership: Membership, reason: str) -> Membership:
    return _change_status(
        actor=actor,
        membership=membership,
        name="membership.leave",
        allowed_from=(MembershipStatus.ACTIVE, MembershipStatus.SUSPENDED),
        changes=lambda m: {
            "status": MembershipStatus.LEFT,
            "ended_at": clock.now(),
            "end_reason": reason.strip() or "left",
        },
    )


def _manages_roles(actor: Any, entity: Entity | None) -> bool:
    """An administrator of the entity; for a federation-wide role, one of the federation (an
    entity's administrator does not make federation administrators)."""
    if entity is not None:
        return has_role(actor, (Role.ADMINISTRATOR,), entity)
    return (
        bool(getattr(actor, "is_superuser", False))
        or StaffRole.objects.filter(
            user=actor, role=Role.ADMINISTRATOR, entity__isnull=True
        ).exists()
    )


@action("staff.grant_role")
def grant_role(*, actor: Any, user: Any, role: str, entity: Entity | None) -> StaffRole:
    if role not in Role.values:
        raise InvalidInput(f"unknown role {role!r}", field="role")
    if actor is not None and not _manages_roles(actor, entity):
        raise AccessDenied("only an administrator may grant staff roles")
    staff_role, _created = StaffRole.objects.get_or_create(user=user, role=role, entity=entity)
    audit.record(
        actor=actor,
        action="staff.grant_role",
        subject=staff_role,
        entity_id=entity.pk if entity else None,
        after={"user": user.get_username(), "role": role},
    )
    return staff_role


@action("staff.revoke_role")
def revoke_role(*, actor: Any, staff_role: StaffRole) -> None:
    """Remove a staff role; the API tokens created under it stop working with it."""
    if actor is not None and not _manages_roles(actor, staff_role.entity):
        raise AccessDenied("only an administrator may remove staff roles")
    audit.record(
        actor=actor,
        action="staff.revoke_role",
        subject=staff_role,
        entity_id=staff_role.entity_id,
        before={"user": staff_role.user.get_username(), "role": staff_role.role},
    )
    staff_role.delete()


TOKEN_PREFIX = "mutua_"
TokenGrantor = StaffRole | Membership


def grant_label(grant: TokenGrantor) -> str:
    if isinstance(grant, StaffRole):
        return f"{grant.get_role_display()} · {grant.entity.code if grant.entity else '*'}"
    return f"{grant.entity.code} {grant.number or grant.get_status_display()}"


def _checked_grant(user: Any, grant: TokenGrantor | None) -> TokenGrantor:
    """The staff role or membership the token is created under: one the user holds now."""
    held = token_grants(user)
    if grant is None:
        if not held:
            raise AccessDenied("an API token needs a membership or a staff role", field="grant")
        return held[0]  # a staff role first: staff tokens are held to the staff rules
    if not any(type(grant) is type(h) and grant.pk == h.pk for h in held):
        raise InvalidInput("you do not hold this role or membership", field="grant")
    return grant


@action("token.create")
def create_access_token(
    *,
    user: Any,
    name: str,
    scope: str = TokenScope.WRITE,
    grant: TokenGrantor | None = None,
    expires_at: dt.datetime | None = None,
) -> tuple[AccessToken, str]:
    """Create a personal access token; the plaintext is returned once and never stored.

    It reads only or reads and writes (`scope`), and lives as long as the staff role or the
    membership it is created under (`grant`; by default the user's first staff role, else
    their first membership). Staff must have set up TOTP first."""
    if not name.strip():
        raise InvalidInput("give the token a name", field="name")
    if scope not in TokenScope.values:
        raise InvalidInput("a token reads, or reads and writes", field="scope")
    if expires_at is not None and expires_at <= clock.now():
        raise InvalidInput("the expiry must be in the future", field="expires_at")
    if needs_second_factor(user) and not has_totp(user):
        raise AccessDenied(
            "set up two-factor authentication (TOTP) before creating an API token", field="name"
        )
    grant = _checked_grant(user, grant)
    if isinstance(grant, Membership) and grant.status not in LIVE_MEMBERSHIP:
        raise InvalidInput("this membership has ended", field="grant")
    plaintext = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = AccessToken.objects.create(
        user=user,
        name=name.strip(),
        prefix=plaintext[: len(TOKEN_PREFIX) + 6],
        digest=token_digest(plaintext),
        scope=scope,
        grant=TokenGrant.STAFF_ROLE if isinstance(grant, StaffRole) else TokenGrant.MEMBERSHIP,
        granted_by_role=grant if isinstance(grant, StaffRole) else None,
        granted_by_membership=grant if isinstance(grant, Membership) else None,
        expires_at=expires_at,
    )
    audit.record(
        actor=user,
        action="token.create",
        subject=token,
        after={"name": token.name, "scope": scope, "granted_by": grant_label(grant)},
    )
    return token, plaintext


@action("token.revoke")
def revoke_access_token(*, user: Any, token_id: int) -> AccessToken:
    token = AccessToken.objects.filter(pk=token_id, user=user, revoked_at__isnull=True).first()
    if token is None:
        raise InvalidInput("no such active token", field="token")
    token.revoked_at = clock.now()
    token.save(update_fields=["revoked_at"])
    audit.record(actor=user, action="token.revoke", subject=token, after={"name": token.name})
    return token
