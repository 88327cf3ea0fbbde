import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError

from mutua.core import audit
from mutua.core.audit import MissingAuditEvent, action
from mutua.core.models import AppendOnlyError, AuditEvent
from tests.conftest import make_user


@action("test.forgetful")
def forgetful_action(*, marker: str) -> str:
    return marker


@action("test.careful")
def careful_action(*, actor: object) -> AuditEvent:
    return audit.record(actor=actor, action="test.careful", before={"a": 1}, after={"a": 2})


def test_an_action_without_an_audit_event_fails(db: object) -> None:
    with pytest.raises(MissingAuditEvent):
        forgetful_action(marker="x")


def test_an_action_records_who_what_when_before_after(db: object) -> None:
    user = make_user("auditor@example.test")
    event = careful_action(actor=user)
    event.refresh_from_db()
    assert event.actor == user
    assert event.actor_label == str(user)
    assert event.action == "test.careful"
    assert event.before == {"a": 1} and event.after == {"a": 2}
    assert event.at is not None


def test_audit_events_cannot_be_changed_or_deleted_through_the_orm(db: object) -> None:
    event = careful_action(actor=None)
    event.action = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()


def test_the_database_refuses_updates_of_audit_events(db: object) -> None:
    event = careful_action(actor=None)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action="rewritten")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET action = 'x' WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).action == "test.careful"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="delete trigger is PostgreSQL-only")
def test_postgresql_refuses_deleting_audit_events(db: object) -> None:
    event = careful_action(actor=None)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_a_failing_action_leaves_no_audit_event(db: object) -> None:
    @action("test.failing")
    def failing(*, actor: object) -> None:
        audit.record(actor=actor, action="test.failing")
        raise ValueError("rule says no")

    with pytest.raises(ValueError):
        failing(actor=None)
    assert not AuditEvent.objects.filter(action="test.failing").exists()
