"""One delivery waiting to leave per invoice and channel (Security, second round: ten parallel
"send" posts queued ten). Earlier duplicates still waiting are set aside first (the oldest of
each invoice and channel stays queued and leaves; the others never will)."""

from django.db import migrations, models
from django.db.models import Count, Min, Q

QUEUED = "queued"


def set_aside_duplicates(apps, schema_editor):
    InvoiceDelivery = apps.get_model("invoicing", "InvoiceDelivery")
    groups = (
        InvoiceDelivery.objects.filter(status=QUEUED)
        .values("invoice_id", "channel")
        .annotate(n=Count("id"), first=Min("id"))
        .filter(n__gt=1)
    )
    for group in groups:
        InvoiceDelivery.objects.filter(
            status=QUEUED,
            invoice_id=group["invoice_id"],
            channel=group["channel"],
            id__gt=group["first"],
        ).update(status="failed", detail=f"not sent: a duplicate of delivery {group['first']}")


class Migration(migrations.Migration):
    dependencies = [
        ("invoicing", "0004_invoice_entity_issued"),
    ]

    operations = [
        migrations.RunPython(set_aside_duplicates, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="invoicedelivery",
            constraint=models.UniqueConstraint(
                condition=Q(status="queued"),
                fields=("invoice", "channel"),
                name="delivery_queued_once",
            ),
        ),
    ]
