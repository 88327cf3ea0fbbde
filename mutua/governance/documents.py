"""Documents of governance: the share register (CSV and PDF), a holder's certificate (PDF) and,
later in the file, an assembly's minutes. HTML templates rendered by WeasyPrint, self-contained
(no resource is fetched)."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string

from mutua.core import clock
from mutua.core.pdf import html_to_pdf
from mutua.entities.models import Entity
from mutua.governance.models import Assembly, Election, Shareholder
from mutua.governance.queries import (
    holdings,
    movements_of,
    register_movements,
    register_rows,
    share_classes,
)
from mutua.ledger.exports import csv_text


def pdf_of(html: str) -> bytes:
    result: bytes = html_to_pdf(html)
    return result


def register_context(entity: Entity) -> dict[str, Any]:
    classes = list(share_classes(entity))
    rows = register_rows(entity)
    return {
        "entity": entity,
        "classes": classes,
        "rows": [
            {"row": row, "per_class": [row.quantities.get(c.pk, 0) for c in classes]}
            for row in rows
        ],
        "class_rows": [(c, sum(row.quantities.get(c.pk, 0) for row in rows)) for c in classes],
        "movements": list(register_movements(entity)),
        "printed_at": clock.now(),
    }


def register_csv(entity: Entity) -> str:
    """One line per holder: what the register lists (6:24), safe from formula injection."""
    context = register_context(entity)
    classes = context["classes"]
    header = [
        "number",
        "kind",
        "name",
        "company_number",
        "domicile_or_seat",
        "registered_on",
        *[f"shares_{c.code}" for c in classes],
        "paid_up",
    ]
    rows = [
        [
            item["row"].holder.number,
            item["row"].holder.kind,
            item["row"].holder.name,
            item["row"].holder.company_number,
            item["row"].holder.address,
            item["row"].holder.registered_on.isoformat(),
            *item["per_class"],
            f"{item['row'].paid_up:.2f}",
        ]
        for item in context["rows"]
    ]
    return csv_text(header, rows)


def register_pdf(entity: Entity) -> bytes:
    return pdf_of(render_to_string("governance/documents/register.html", register_context(entity)))


def certificate_pdf(holder: Shareholder) -> bytes:
    """The holder's extract of the register (6:25): identity, shares per class, movements."""
    context = {
        "entity": holder.entity,
        "holder": holder,
        "holdings": holdings(holder),
        "movements": list(movements_of(holder)),
        "printed_at": clock.now(),
    }
    return pdf_of(render_to_string("governance/documents/certificate.html", context))


def minutes_context(assembly: Assembly) -> dict[str, Any]:
    from mutua.governance.assembly_queries import attendance_summary

    return {
        "assembly": assembly,
        "entity": assembly.entity,
        "attendance": attendance_summary(assembly),
        "roll": assembly.participants.count(),
        "items": list(assembly.items.order_by("position")),
        "documents": list(assembly.documents.only("title", "file_name", "digest")),
        "elections": list(
            Election.objects.filter(assembly=assembly).prefetch_related("constituencies")
        ),
        "printed_at": clock.now(),
    }


def minutes_pdf(assembly: Assembly) -> bytes:
    """Minutes from the records: attendance, quorum and each item's votes and result."""
    return pdf_of(render_to_string("governance/documents/minutes.html", minutes_context(assembly)))
