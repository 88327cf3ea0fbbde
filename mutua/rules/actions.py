"""Actions on legal parameter sets: propose a file, approve it (a second person), refuse it.

A file is checked whole against its country's schema before anything is stored; its
differences to the set in force are stored with it, so the approver decides on exactly what
the page showed. An approved set takes effect for every lookup after the commit (this process
at once, the others within MUTUA_RULES_REFRESH_SECONDS) and is logged on the public change log
of each entity of the country.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.db import IntegrityError, transaction

from mutua.core import audit, clock
from mutua.core.audit import action
from mutua.core.errors import (
    AccessDenied,
    DuplicateRequest,
    InvalidInput,
    RuleViolation,
    StateConflict,
)
from mutua.countries import parameters
from mutua.countries.parameters import Change, ParameterBook, ParameterSet, differences, read_set
from mutua.countries.registry import SUPPORTED, parameters_for
from mutua.entities.models import Entity
from mutua.governance.consultation_actions import record_parameter_change
from mutua.rules.loaded import as_set, fresh_book, loaded_sets
from mutua.rules.models import LIVE_STATES, ParameterSetUpload, UploadState
from mutua.rules.queries import APPROVER_ROLES, RULES_ROLES, countries_of

SHOWN_IN_LOG = 12  # changes listed on the public change log; the rest are counted


def _country(code: str) -> str:
    code = (code or "").strip().upper()
    if code not in SUPPORTED:
        raise InvalidInput(f"country {code!r} is not supported", field="country")
    return code


def _require(user: Any, roles: tuple[str, ...], country: str, what: str) -> None:
    if country not in countries_of(user, roles):
        raise AccessDenied(what)


def _in_force_label(parameter_set: ParameterSet | None) -> str:
    return parameter_set.label if parameter_set is not None else ""


def check_file(*, country: str, text: str) -> tuple[ParameterSet, dict[str, Any]]:
    """Parse a file and compare it with the set in force for its year; stores nothing.

    ParameterFileError (each problem with its line) goes up unchanged; a set the book would
    never use (an official set issued later is in force for that year) is refused."""
    country = _country(country)
    declared = parameters_for(country)
    parameter_set = read_set(text, declared.schema, country=country)
    sets = declared.shipped() + loaded_sets(country)
    in_force = ParameterBook(country, sets).set_for(parameter_set.year)
    if ParameterBook(country, [*sets, parameter_set]).set_for(parameter_set.year) is not (
        parameter_set
    ):
        raise RuleViolation(
            f"this set would never be used: {_in_force_label(in_force)} is in force for "
            f"{parameter_set.year} (an official set beats a provisional one, then the later "
            "issue date)",
            field="file",
        )
    summary = {
        "against": _in_force_label(in_force),
        "changes": [_change_row(c) for c in differences(in_force, parameter_set)],
    }
    return parameter_set, summary


def _change_row(change: Change) -> dict[str, str]:
    return {
        "table": change.table,
        "key": change.key,
        "valid_from": change.valid_from.isoformat(),
        "before": change.before,
        "after": change.after,
        "kind": change.kind,
        "status": change.status,
        "source": change.source,
    }


@action("rules.propose_parameter_set")
def propose_parameter_set(*, acting_user: Any, country: str, text: str) -> ParameterSetUpload:
    country = _country(country)
    _require(acting_user, RULES_ROLES, country, "payroll officers and administrators load sets")
    parameter_set, summary = check_file(country=country, text=text)
    digest = hashlib.sha256(text.encode()).hexdigest()
    live = ParameterSetUpload.objects.filter(country=country, sha256=digest, state__in=LIVE_STATES)
    if live.exists():
        raise DuplicateRequest("this file was already loaded", field="file")
    try:
        with transaction.atomic():
            upload = ParameterSetUpload.objects.create(
                country=country,
                year=parameter_set.year,
                status=parameter_set.status,
                text=text,
                sha256=digest,
                differences=summary,
                proposed_by=acting_user,
                proposed_at=clock.now(),
            )
    except IntegrityError as exc:  # the same file sent twice at once
        raise DuplicateRequest("this file was already loaded", field="file") from exc
    audit.record(
        actor=acting_user,
        action="rules.propose_parameter_set",
        subject=upload,
        after={
            "country": country,
            "year": upload.year,
            "status": upload.status,
            "sha256": digest,
            "changes": len(summary["changes"]),
        },
    )
    return upload


def _decidable(acting_user: Any, upload: ParameterSetUpload) -> ParameterSetUpload:
    """The upload, locked, if this user may decide on it now."""
    _require(acting_user, APPROVER_ROLES, upload.country, "only an administrator decides")
    locked = ParameterSetUpload.objects.select_for_update().get(pk=upload.pk)
    if locked.state != UploadState.PROPOSED:
        raise StateConflict(f"this set is already {locked.get_state_display().lower()}")
    if locked.proposed_by_id == acting_user.pk:
        raise RuleViolation(
            "four eyes: another administrator approves or refuses, not the person who loaded it"
        )
    return locked


@action("rules.approve_parameter_set")
def approve_parameter_set(*, acting_user: Any, upload: ParameterSetUpload) -> ParameterSetUpload:
    upload = _decidable(acting_user, upload)
    # Read again: a release may have changed the schema since the proposal.
    parameter_set = as_set(upload)
    if _in_force_label(fresh_book(upload.country).set_for(upload.year)) != (
        upload.differences.get("against", "")
    ):
        raise StateConflict(
            "the set in force changed since this proposal: refuse it and load the file again, "
            "so the differences shown are the real ones"
        )
    upload.state, upload.decided_by, upload.decided_at = (
        UploadState.APPROVED,
        acting_user,
        clock.now(),
    )
    upload.save(update_fields=["state", "decided_by", "decided_at"])
    audit.record(
        actor=acting_user,
        action="rules.approve_parameter_set",
        subject=upload,
        after={"country": upload.country, "year": upload.year, "status": upload.status},
    )
    _publish(acting_user, upload, parameter_set)
    # Other processes see it within MUTUA_RULES_REFRESH_SECONDS (mutua/rules/loaded.py).
    transaction.on_commit(parameters.invalidate)
    return upload


@action("rules.refuse_parameter_set")
def refuse_parameter_set(
    *, acting_user: Any, upload: ParameterSetUpload, reason: str
) -> ParameterSetUpload:
    if not reason.strip():
        raise InvalidInput("say why the set is refused", field="reason")
    upload = _decidable(acting_user, upload)
    upload.state, upload.decided_by, upload.decided_at = (
        UploadState.REFUSED,
        acting_user,
        clock.now(),
    )
    upload.refusal_reason = reason.strip()[:500]
    upload.save(update_fields=["state", "decided_by", "decided_at", "refusal_reason"])
    audit.record(
        actor=acting_user,
        action="rules.refuse_parameter_set",
        subject=upload,
        after={"country": upload.country, "year": upload.year, "reason": upload.refusal_reason},
    )
    return upload


def _publish(acting_user: Any, upload: ParameterSetUpload, parameter_set: ParameterSet) -> None:
    """One line on the public change log of each entity of the country."""
    first_day = min(periods[0].valid_from for periods in parameter_set.tables.values())
    title = f"Legal payroll parameters {upload.country} {upload.year} ({upload.status})"
    decision = (
        f"The law: {parameter_set.source}. Loaded and approved by two staff members "
        f"(set #{upload.pk})."
    )
    for entity in Entity.objects.filter(country=upload.country).order_by("pk"):
        record_parameter_change(
            entity=entity,
            title=title,
            description=_log_text(upload),
            effective_on=first_day,
            decision=decision,
            acting_user=acting_user,
        )


def _log_text(upload: ParameterSetUpload) -> str:
    changes = upload.differences.get("changes", [])
    if not changes:
        return "The values are unchanged; their status is now the one of this set."
    lines = [
        f"{c['table']}.{c['key']} from {c['valid_from']}: "
        f"{c['before'] or '—'} → {c['after'] or '—'}"
        for c in changes[:SHOWN_IN_LOG]
    ]
    more = len(changes) - SHOWN_IN_LOG
    if more > 0:
        lines.append(f"and {more} more values")
    return "\n".join(lines)
