"""One share subscription awaiting payment per holder and class (Security, second round: two
parallel requests made two). Earlier duplicates are cancelled first, keeping the oldest request
of each holder and class, each cancellation written to the audit log."""

from django.db import migrations, models
from django.db.models import Count, Min, Q

REQUESTED = "requested"


def cancel_duplicate_requests(apps, schema_editor):
    Subscription = apps.get_model("governance", "Subscription")
    AuditEvent = apps.get_model("core", "AuditEvent")
    groups = (
        Subscription.objects.filter(status=REQUESTED)
        .values("holder_id", "share_class_id")
        .annotate(n=Count("id"), first=Min("id"))
        .filter(n__gt=1)
    )
    for group in groups:
        later = Subscription.objects.filter(
            status=REQUESTED,
            holder_id=group["holder_id"],
            share_class_id=group["share_class_id"],
            id__gt=group["first"],
        )
        for subscription in later:
            subscription.status = "cancelled"
            subscription.save(update_fields=["status"])
            AuditEvent.objects.create(
                actor=None,
                actor_label="system",
                action="governance.cancel_subscription",
                subject_type="governance.subscription",
                subject_id=str(subscription.pk),
                entity_id=subscription.entity_id,
                after={
                    "status": "cancelled",
                    "reason": f"duplicate of subscription {group['first']} awaiting payment",
                },
            )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_audit_append_only"),
        ("governance", "0007_ballot_box"),
    ]

    operations = [
        migrations.RunPython(cancel_duplicate_requests, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="subscription",
            constraint=models.UniqueConstraint(
                condition=Q(status="requested"),
                fields=("holder", "share_class"),
                name="subscription_pending_once",
            ),
        ),
    ]
