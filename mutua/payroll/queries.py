"""Reads of payslips and runs, and the access functions that guard them.

A member sees their own payslips only; payroll officers (and administrators) see the runs and
payslips of their entities. Anything else is "not found", never "forbidden", so ids leak nothing.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from mutua.core.errors import NotFound
from mutua.core.permissions import Role
from mutua.entities.models import Entity
from mutua.members.queries import staff_entities
from mutua.payroll.models import PayrollRun, Payslip

PAYROLL_STAFF = (Role.PAYROLL_OFFICER, Role.ADMINISTRATOR)


def payroll_entities(user: Any) -> QuerySet[Entity]:
    return staff_entities(user, PAYROLL_STAFF)


def member_payslips(user: Any) -> QuerySet[Payslip]:
    """The user's own payslips, latest month first."""
    if not getattr(user, "is_authenticated", False):
        return Payslip.objects.none()
    return (
        Payslip.objects.filter(person__user=user)
        .select_related("entity", "run")
        .order_by("-period", "-id")
    )


def access_payslip(user: Any, payslip_id: int) -> Payslip:
    """A payslip its member or a payroll officer of its entity may open."""
    if not getattr(user, "is_authenticated", False):
        raise NotFound("no such payslip")
    payslip = (
        Payslip.objects.select_related("entity", "person", "run")
        .filter(pk=payslip_id)
        .filter(Q(person__user=user) | Q(entity__in=payroll_entities(user)))
        .first()
    )
    if payslip is None:
        raise NotFound("no such payslip")
    return payslip


def runs_of(user: Any) -> QuerySet[PayrollRun]:
    return PayrollRun.objects.filter(entity__in=payroll_entities(user)).select_related("entity")


def access_run(user: Any, run_id: int) -> PayrollRun:
    run = runs_of(user).filter(pk=run_id).first()
    if run is None:
        raise NotFound("no such payroll run")
    return run
