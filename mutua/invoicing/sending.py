"""Sending issued documents to clients: Peppol where the client has a participant id, e-mail
otherwise. The Peppol transport needs an access point's credentials, so it is pluggable: the
default drops each UBL file into an outbox folder that an access point connector picks up.
Every send is recorded (InvoiceDelivery) with the digest of what left.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django_tasks import task

from mutua.core import audit, clock
from mutua.core.audit import action
from mutua.core.errors import InvalidInput, StateConflict
from mutua.core.tasks import enqueue_after_commit
from mutua.invoicing.access import may_invoice_for
from mutua.invoicing.documents.en16931 import ubl_xml
from mutua.invoicing.documents.model import InvoiceDocument
from mutua.invoicing.models import DeliveryChannel, Invoice, InvoiceDelivery, InvoiceStatus
from mutua.invoicing.rendering import client_pdf, document_of


class PeppolSender(Protocol):
    def send(self, *, xml: bytes, sender_id: str, receiver_id: str, document_id: str) -> str:
        """Hand one UBL document to the network; return the transport's reference."""
        ...


class FileDropPeppolSender:
    """Writes each document atomically into an outbox folder (one file per document)."""

    def __init__(self, folder: Path | None = None) -> None:
        default = Path(settings.MEDIA_ROOT) / "peppol-outbox"
        self.folder = (
            Path(folder) if folder else Path(getattr(settings, "MUTUA_PEPPOL_OUTBOX", default))
        )

    def send(self, *, xml: bytes, sender_id: str, receiver_id: str, document_id: str) -> str:
        self.folder.mkdir(parents=True, exist_ok=True)
        safe_id = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in document_id)
        target = self.folder / f"{safe_id}.xml"
        handle, temporary = tempfile.mkstemp(dir=self.folder, suffix=".part")
        with os.fdopen(handle, "wb") as stream:
            stream.write(xml)
        os.replace(temporary, target)  # the connector never sees a half-written file
        return str(target)


def peppol_sender() -> PeppolSender:
    dotted = getattr(
        settings, "MUTUA_PEPPOL_SENDER", "mutua.invoicing.sending.FileDropPeppolSender"
    )
    sender: PeppolSender = import_string(dotted)()
    return sender


QUEUED = "queued"


@action("invoice.send")
def send_invoice(*, actor: Any, invoice: Invoice) -> InvoiceDelivery:
    """Queue an issued invoice or credit note for its client; it leaves after the commit.

    Idempotent while it waits: one queued delivery per invoice and channel (a partial unique
    constraint), so the same request again (a double click, ten parallel posts) queues nothing
    more and answers the delivery already waiting. Once it has left, sending again sends again."""
    invoice = (
        Invoice.objects.select_for_update().select_related("client", "activity").get(pk=invoice.pk)
    )
    if not may_invoice_for(actor, invoice.activity):
        raise InvalidInput("you may not send this invoice")
    if invoice.is_draft or invoice.status == InvoiceStatus.CANCELLED:
        raise StateConflict("only issued documents are sent")
    channel, destination = _route(invoice)
    waiting = _queued(invoice, channel)
    if waiting is not None:
        return _sent_again(actor, invoice, waiting)
    try:
        with transaction.atomic():  # a savepoint: a parallel request's row refuses this one
            delivery = InvoiceDelivery.objects.create(
                invoice=invoice, channel=channel, destination=destination
            )
    except IntegrityError:
        waiting = _queued(invoice, channel)
        if waiting is None:
            raise
        return _sent_again(actor, invoice, waiting)
    if invoice.status == InvoiceStatus.ISSUED:
        invoice.status = InvoiceStatus.SENT
        invoice.save(update_fields=["status"])
    audit.record(
        actor=actor,
        action="invoice.send",
        subject=invoice,
        entity_id=invoice.entity_id,
        after={"channel": channel, "destination": destination},
    )
    enqueue_after_commit(deliver_task, delivery.pk)
    return delivery


def _queued(invoice: Invoice, channel: str) -> InvoiceDelivery | None:
    return InvoiceDelivery.objects.filter(invoice=invoice, channel=channel, status=QUEUED).first()


def _sent_again(actor: Any, invoice: Invoice, waiting: InvoiceDelivery) -> InvoiceDelivery:
    """The same request again: nothing more is queued; the audit log still says it came."""
    audit.record(
        actor=actor,
        action="invoice.send.replayed",
        subject=invoice,
        entity_id=invoice.entity_id,
        after={"delivery": waiting.pk, "channel": waiting.channel},
    )
    return waiting


def _route(invoice: Invoice) -> tuple[str, str]:
    client = invoice.client
    if client.peppol_id:
        return DeliveryChannel.PEPPOL, client.peppol_id
    if client.email:
        return DeliveryChannel.EMAIL, client.email
    raise InvalidInput("the client has neither a Peppol id nor an e-mail address", field="email")


@task()
def deliver_task(delivery_id: int) -> None:
    deliver(delivery_id)


def deliver(delivery_id: int) -> InvoiceDelivery:
    """Send one queued delivery and record the outcome (its own small transaction)."""
    delivery = InvoiceDelivery.objects.select_related("invoice__entity", "invoice__client").get(
        pk=delivery_id
    )
    if delivery.status != QUEUED:
        return delivery  # already gone (or set aside as a duplicate): never send twice
    document = document_of(delivery.invoice)
    try:
        payload, reference = _transmit(delivery, document)
    except Exception as exc:  # any transport failure is recorded, not raised
        return _record_outcome(delivery, status="failed", detail=str(exc)[:500])
    return _record_outcome(
        delivery,
        status="sent",
        reference=reference,
        digest=hashlib.sha256(payload).hexdigest(),
    )


def _transmit(delivery: InvoiceDelivery, document: InvoiceDocument) -> tuple[bytes, str]:
    if delivery.channel == DeliveryChannel.PEPPOL:
        xml = ubl_xml(document)
        reference = peppol_sender().send(
            xml=xml,
            sender_id=document.seller.peppol_id or "",
            receiver_id=delivery.destination,
            document_id=f"{delivery.invoice.entity.code}-{document.number}",
        )
        return xml, reference
    pdf = client_pdf(document)
    with translation.override(document.buyer.language):
        subject = _("Invoice %(number)s from %(seller)s") % {
            "number": document.number,
            "seller": document.seller.name,
        }
        body = _(
            "Please find attached invoice %(number)s of %(amount)s %(currency)s, due on %(due)s."
        ) % {
            "number": document.number,
            "amount": document.amount_due,
            "currency": document.currency,
            "due": document.due_date.isoformat(),
        }
    message = EmailMessage(subject, body, None, [delivery.destination])
    message.attach(f"{document.number}.pdf", pdf, "application/pdf")
    message.attach(f"{document.number}.xml", ubl_xml(document), "application/xml")
    message.send()
    return pdf, message.extra_headers.get("Message-ID", "")


@action("invoice.delivered")
def _record_outcome(
    delivery: InvoiceDelivery,
    *,
    status: str,
    reference: str = "",
    digest: str = "",
    detail: str = "",
) -> InvoiceDelivery:
    delivery.status, delivery.reference, delivery.detail = status, reference, detail
    delivery.document_sha256 = digest
    delivery.sent_at = clock.now() if status == "sent" else None
    delivery.save()
    audit.record(
        actor=None,
        action="invoice.delivered",
        subject=delivery.invoice,
        entity_id=delivery.invoice.entity_id,
        after={"channel": delivery.channel, "status": status, "detail": detail},
    )
    return delivery
