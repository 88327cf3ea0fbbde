"""Actions of general assemblies: prepare, convene (delay, frozen agenda, roll, proof of
sending), proxies, attendance, items opened and closed one at a time by the chair, votes, and
minutes signed once.

Rules and their sources are in tally.py and reference/governance.md; each is a setting of the
entity (GovernanceRules) copied onto the assembly, or of the agenda item."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import IntegrityError, connection, transaction
from django.db.models import Sum
from django.utils import timezone

from mutua.core import audit, clock
from mutua.core.audit import action
from mutua.core.errors import AccessDenied, InvalidInput, RuleViolation, StateConflict
from mutua.entities.models import Entity
from mutua.governance import tally
from mutua.governance.assembly_queries import item_count, item_quorum_met
from mutua.governance.common import require_role
from mutua.governance.models import (
    AgendaItem,
    Assembly,
    AssemblyDocument,
    AssemblyKind,
    AssemblyStatus,
    Attendance,
    Choice,
    College,
    ItemStatus,
    Majority,
    MajorityBase,
    Participant,
    QuorumKind,
    Shareholder,
    ShareMovement,
    Vote,
    VoteWeight,
)
from mutua.governance.queries import BOARD_ROLES, rules_of
from mutua.members.models import Person
from mutua.members.queries import person_of
from mutua.services.uploads import sniff

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024


def _require_chair(actor: Any, assembly: Assembly) -> None:
    if actor is not None and assembly.chair_id == getattr(actor, "pk", None):
        return
    require_role(actor, BOARD_ROLES, assembly.entity, "only the chair or the board may do this")


def _record(actor: Any, name: str, subject: Any, entity_id: int, **after: Any) -> None:
    audit.record(actor=actor, action=name, subject=subject, entity_id=entity_id, after=after)


def _locked(assembly: Assembly) -> Assembly:
    return Assembly.objects.select_for_update().select_related("entity").get(pk=assembly.pk)


# --- preparation -------------------------------------------------------------------------------
@action("governance.create_assembly")
def create_assembly(
    *,
    entity: Entity,
    kind: str,
    title: str,
    starts_at: dt.datetime,
    acting_user: Any,
    place: str = "",
    chair: Any = None,
    first_convocation: Assembly | None = None,
) -> Assembly:
    require_role(acting_user, BOARD_ROLES, entity, "only the board convenes assemblies")
    if kind not in AssemblyKind.values:
        raise InvalidInput("ordinary or extraordinary", field="kind")
    if not title.strip():
        raise InvalidInput("an assembly needs a title", field="title")
    rules = rules_of(entity)
    assembly = Assembly.objects.create(
        entity=entity,
        kind=kind,
        title=title.strip(),
        starts_at=starts_at,
        place=place,
        chair=chair,
        first_convocation=first_convocation,
        convocation_days=rules.convocation_days,
        vote_weight=rules.vote_weight,
        share_vote_cap=rules.share_vote_cap,
        proxies_per_holder=rules.proxies_per_holder,
        proxy_holder_must_be_shareholder=rules.proxy_holder_must_be_shareholder,
        proxy_instructions_bind=rules.proxy_instructions_bind,
    )
    _record(acting_user, "governance.create_assembly", assembly, entity.pk, title=assembly.title)
    return assembly


def _check_draft(assembly: Assembly) -> None:
    if assembly.status != AssemblyStatus.DRAFT:
        raise StateConflict("the agenda is frozen once the assembly is convened")


@action("governance.add_agenda_item")
def add_agenda_item(
    *,
    assembly: Assembly,
    title: str,
    acting_user: Any,
    resolution: str = "",
    needs_vote: bool = True,
    majority: str = Majority.SIMPLE,
    majority_base: str = MajorityBase.CAST,
    quorum_kind: str = QuorumKind.NONE,
    quorum: Decimal = Decimal(0),
) -> AgendaItem:
    """Add an item with its quorum and majority (e.g. a statute change: half of the shares
    present and three quarters of the votes cast, 6:85-6:86)."""
    require_role(acting_user, BOARD_ROLES, assembly.entity, "only the board sets the agenda")
    assembly = _locked(assembly)
    _check_draft(assembly)
    if majority not in Majority.values or majority_base not in MajorityBase.values:
        raise InvalidInput("choose a majority and its base", field="majority")
    if quorum_kind not in QuorumKind.values or not Decimal(0) <= Decimal(quorum) <= 1:
        raise InvalidInput("a quorum is a fraction between 0 and 1", field="quorum")
    if not title.strip():
        raise InvalidInput("an item needs a title", field="title")
    last = assembly.items.order_by("-position").values_list("position", flat=True).first()
    item = AgendaItem.objects.create(
        assembly=assembly,
        position=(last or 0) + 1,
        title=title.strip(),
        resolution=resolution,
        needs_vote=needs_vote,
        majority=majority,
        majority_base=majority_base,
        quorum_kind=quorum_kind,
        quorum=Decimal(quorum) if quorum_kind != QuorumKind.NONE else Decimal(0),
    )
    _record(acting_user, "governance.add_agenda_item", item, assembly.entity_id, title=item.title)
    return item


@action("governance.attach_document")
def attach_document(
    *,
    assembly: Assembly,
    title: str,
    file_name: str,
    content_type: str,
    content: bytes,
    acting_user: Any,
) -> AssemblyDocument:
    """Documents go out with the convocation: they are added before it, like the agenda."""
    require_role(acting_user, BOARD_ROLES, assembly.entity, "only the board adds documents")
    _check_draft(_locked(assembly))
    if not content or len(content) > MAX_DOCUMENT_BYTES:
        raise InvalidInput("a document of 1 byte to 20 MB is required", field="content")
    found = sniff(content)  # the type is read from the bytes, never taken from the upload
    if found is None:
        raise InvalidInput("a document is a PDF, PNG or JPEG file", field="content")
    content_type = found[0]
    document = AssemblyDocument.objects.create(
        assembly=assembly,
        title=title.strip() or file_name,
        file_name=file_name[:200],
        content_type=content_type[:100] or "application/octet-stream",
        content=content,
        digest=hashlib.sha256(content).hexdigest(),
    )
    _record(
        acting_user,
        "governance.attach_document",
        document,
        assembly.entity_id,
        digest=document.digest,
    )
    return document


# --- convocation -------------------------------------------------------------------------------
@action("governance.convene_assembly")
def convene_assembly(
    *, assembly: Assembly, acting_user: Any, now: dt.datetime | None = None
) -> Assembly:
    """Send the convocation: at least `convocation_days` before (15 by default), the agenda and
    documents frozen, the roll taken from the share register, e-mails sent after commit with
    their digest kept as proof; members without e-mail get recorded mail (proof entered later)."""
    require_role(acting_user, BOARD_ROLES, assembly.entity, "only the board convenes")
    assembly = _locked(assembly)
    _check_draft(assembly)
    now = now or clock.now()
    tally.check_convocation_delay(
        timezone.localdate(now), timezone.localdate(assembly.starts_at), assembly.convocation_days
    )
    if not assembly.items.exists():
        raise RuleViolation("the convocation needs an agenda")
    count = _take_roll(assembly)
    if not count:
        raise RuleViolation("the register holds no shareholder to convene")
    assembly.status, assembly.convened_at = AssemblyStatus.CONVENED, now
    assembly.save(update_fields=["status", "convened_at"])
    messages = _convocation_mails(assembly, now)
    transaction.on_commit(lambda: send_mass_mail(messages, fail_silently=True))
    _record(
        acting_user,
        "governance.convene_assembly",
        assembly,
        assembly.entity_id,
        roll=count,
        mailed=len(messages),
    )
    return assembly


def _take_roll(assembly: Assembly) -> int:
    """One roll line per holder with shares, weighted by the assembly's rule (set-based)."""
    held = (
        ShareMovement.objects.filter(entity=assembly.entity)
        .values("holder")
        .annotate(shares=Sum("quantity"))
        .filter(shares__gt=0)
        .order_by()
    )
    shares = {row["holder"]: int(row["shares"]) for row in held}
    colleges = _college_of(assembly, list(shares)) if assembly.vote_weight == "college" else {}
    holders = Shareholder.objects.filter(pk__in=list(shares)).values_list("pk", "person_id")
    by_share = assembly.vote_weight == VoteWeight.SHARE
    Participant.objects.bulk_create(
        [
            Participant(
                assembly=assembly,
                holder_id=holder_id,
                person_id=person_id,
                shares=shares[holder_id],
                weight=Decimal(shares[holder_id] if by_share else 1),
                college=colleges.get(holder_id, ""),
            )
            for holder_id, person_id in holders
        ],
        batch_size=1000,
    )
    return len(shares)


def _college_of(assembly: Assembly, holder_ids: list[int]) -> dict[int, str]:
    """A holder's college is the share class they hold most of (A members, B staff...)."""
    rows = (
        ShareMovement.objects.filter(holder_id__in=holder_ids)
        .values("holder", "share_class__code")
        .annotate(n=Sum("quantity"))
        .filter(n__gt=0)
        .order_by("holder", "-n", "share_class__code")
    )
    colleges: dict[int, str] = {}
    for row in rows:
        colleges.setdefault(row["holder"], row["share_class__code"])
    return colleges


def _convocation_mails(
    assembly: Assembly, now: dt.datetime
) -> list[tuple[str, str, str, list[str]]]:
    subject = f"Convocation: {assembly.title}"
    agenda = "\n".join(f"{item.position}. {item.title}" for item in assembly.items.all())
    body = (
        f"{assembly.entity.legal_name}\n{assembly.get_kind_display()}: {assembly.title}\n"
        f"{timezone.localtime(assembly.starts_at):%Y-%m-%d %H:%M} {assembly.place}\n\n{agenda}\n"
    )
    digest = hashlib.sha256(body.encode()).hexdigest()
    roll = Participant.objects.filter(assembly=assembly).values_list("pk", "person__user__email")
    mailed = [(pk, email) for pk, email in roll if email]
    ids = [pk for pk, _ in mailed]
    Participant.objects.filter(pk__in=ids).update(
        convocation_sent_at=now, convocation_channel="email", convocation_proof=digest
    )
    Participant.objects.filter(assembly=assembly).exclude(pk__in=ids).update(
        convocation_channel="post"
    )
    sender = settings.DEFAULT_FROM_EMAIL
    return [(subject, body, sender, [email]) for _, email in mailed]


@action("governance.record_mail_proof")
def record_mail_proof(
    *, participant: Participant, proof: str, sent_on: dt.date, acting_user: Any
) -> Participant:
    """The recorded-mail number of a convocation sent by post."""
    require_role(acting_user, BOARD_ROLES, participant.assembly.entity, "only the board")
    if not proof.strip():
        raise InvalidInput("the recorded-mail number is required", field="proof")
    participant.convocation_proof = proof.strip()[:100]
    participant.convocation_channel = "post"
    participant.convocation_sent_at = dt.datetime.combine(sent_on, dt.time(12), dt.UTC)
    participant.save(
        update_fields=["convocation_proof", "convocation_channel", "convocation_sent_at"]
    )
    _record(
        acting_user,
        "governance.record_mail_proof",
        participant,
        participant.assembly.entity_id,
        proof=participant.convocation_proof,
    )
    return participant


# --- proxies and attendance --------------------------------------------------------------------
def _own(participant: Participant, actor: Any) -> bool:
    person = person_of(actor)
    return person is not None and participant.person_id == person.pk


@action("governance.give_proxy")
def give_proxy(
    *,
    participant: Participant,
    holder: Person,
    acting_user: Any,
    instructions: dict[int, str] | None = None,
) -> Participant:
    """A shareholder gives their proxy (6:80). Who may hold one and how many are the statutes'
    settings: by default anyone, without cap; a holder must be on the roll when required."""
    assembly = _locked(participant.assembly)
    if not _own(participant, acting_user):
        require_role(acting_user, BOARD_ROLES, assembly.entity, "you give only your own proxy")
    if assembly.status not in (AssemblyStatus.CONVENED, AssemblyStatus.OPEN):
        raise StateConflict("proxies are given between convocation and closing")
    if holder.pk == participant.person_id:
        raise InvalidInput("a proxy goes to someone else", field="holder")
    roll = Participant.objects.filter(assembly=assembly)
    if assembly.proxy_holder_must_be_shareholder and not roll.filter(person=holder).exists():
        raise RuleViolation("the statutes require the proxy holder to be a shareholder")
    if roll.filter(person=holder, proxy_holder__isnull=False).exists():
        raise RuleViolation("the proxy holder has given their own proxy away")
    if assembly.proxies_per_holder is not None:
        held = roll.filter(proxy_holder=holder).exclude(pk=participant.pk).count()
        if held >= assembly.proxies_per_holder:
            raise RuleViolation(f"a holder may carry at most {assembly.proxies_per_holder} proxies")
    locked = Participant.objects.select_for_update().get(pk=participant.pk)
    if Vote.objects.filter(participant=locked).exists():
        raise StateConflict("votes were already cast for this shareholder")
    locked.proxy_holder, locked.proxy_given_at = holder, clock.now()
    locked.proxy_instructions = _instructions(assembly, instructions or {})
    locked.attendance = Attendance.PROXY
    locked.save(
        update_fields=["proxy_holder", "proxy_given_at", "proxy_instructions", "attendance"]
    )
    _record(acting_user, "governance.give_proxy", locked, assembly.entity_id, holder=holder.pk)
    return locked


def _instructions(assembly: Assembly, given: dict[int, str]) -> dict[str, str]:
    """Instructions name items of this assembly put to the vote, and a choice for each."""
    items = set(assembly.items.filter(needs_vote=True).values_list("pk", flat=True))
    if any(int(item) not in items or choice not in Choice.values for item, choice in given.items()):
        raise InvalidInput(
            "instructions give a choice for items of this assembly", field="instructions"
        )
    return {str(item): choice for item, choice in given.items()}


@action("governance.revoke_proxy")
def revoke_proxy(*, participant: Participant, acting_user: Any) -> Participant:
    if not _own(participant, acting_user):
        require_role(acting_user, BOARD_ROLES, participant.assembly.entity, "not your proxy")
    locked = Participant.objects.select_for_update().get(pk=participant.pk)
    if Vote.objects.filter(participant=locked).exists():
        raise StateConflict("the proxy holder has already voted with it")
    locked.proxy_holder, locked.proxy_given_at = None, None
    locked.attendance = Attendance.ABSENT
    locked.save(update_fields=["proxy_holder", "proxy_given_at", "attendance"])
    _record(acting_user, "governance.revoke_proxy", locked, locked.assembly.entity_id)
    return locked


@action("governance.check_in")
def check_in(*, participant: Participant, mode: str, acting_user: Any) -> Participant:
    """Attendance register: the chair records who is on site; a member joins online."""
    assembly = participant.assembly
    if mode == Attendance.ONSITE:
        _require_chair(acting_user, assembly)
    elif mode == Attendance.ONLINE:
        if not _own(participant, acting_user):
            _require_chair(acting_user, assembly)
    else:
        raise InvalidInput("on site or online", field="mode")
    if assembly.status not in (AssemblyStatus.CONVENED, AssemblyStatus.OPEN):
        raise StateConflict("the assembly is not in session")
    updated = Participant.objects.filter(pk=participant.pk, proxy_holder__isnull=True).update(
        attendance=mode
    )
    if not updated:
        raise StateConflict("this shareholder is represented by proxy")
    _record(acting_user, "governance.check_in", participant, assembly.entity_id, mode=mode)
    participant.refresh_from_db()
    return participant


# --- the session -------------------------------------------------------------------------------
@action("governance.open_assembly")
def open_assembly(*, assembly: Assembly, acting_user: Any, stream_url: str = "") -> Assembly:
    _require_chair(acting_user, assembly)
    assembly = _locked(assembly)
    if assembly.status != AssemblyStatus.CONVENED:
        raise StateConflict("only a convened assembly opens")
    assembly.status, assembly.opened_at = AssemblyStatus.OPEN, clock.now()
    assembly.stream_url = stream_url or assembly.stream_url
    assembly.save(update_fields=["status", "opened_at", "stream_url"])
    _record(acting_user, "governance.open_assembly", assembly, assembly.entity_id)
    return assembly


@action("governance.set_stream_link")
def set_stream_link(*, assembly: Assembly, url: str, acting_user: Any) -> Assembly:
    _require_chair(acting_user, assembly)
    if url and not url.startswith("https://"):
        raise InvalidInput("the stream link must be an https:// address", field="url")
    Assembly.objects.filter(pk=assembly.pk).update(stream_url=url)
    assembly.stream_url = url
    _record(acting_user, "governance.set_stream_link", assembly, assembly.entity_id, url=url)
    return assembly


@action("governance.open_item")
def open_item(*, item: AgendaItem, acting_user: Any) -> AgendaItem:
    """The chair opens one item at a time (a unique constraint keeps it so)."""
    assembly = _locked(item.assembly)
    _require_chair(acting_user, assembly)
    if assembly.status != AssemblyStatus.OPEN:
        raise StateConflict("open the assembly first")
    if assembly.items.filter(status=ItemStatus.OPEN).exists():
        raise StateConflict("close the open item first")
    updated = AgendaItem.objects.filter(pk=item.pk, status=ItemStatus.PENDING).update(
        status=ItemStatus.OPEN, opened_at=clock.now()
    )
    if not updated:
        raise StateConflict("this item was already dealt with")
    item.refresh_from_db()
    _record(acting_user, "governance.open_item", item, assembly.entity_id)
    return item


@action("governance.close_item")
def close_item(*, item: AgendaItem, acting_user: Any) -> AgendaItem:
    """Close the vote and keep its result: quorum, votes for/against/abstain, adopted or not."""
    assembly = _locked(item.assembly)
    _require_chair(acting_user, assembly)
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    if item.status != ItemStatus.OPEN:
        raise StateConflict("only the open item can be closed")
    item.status, item.closed_at = ItemStatus.CLOSED, clock.now()
    if item.needs_vote:
        count = item_count(item)
        item.votes_for, item.votes_against, item.votes_abstain = (
            _stored(count.for_),
            _stored(count.against),
            _stored(count.abstain),
        )
        item.quorum_met = item_quorum_met(item)
        item.adopted = item.quorum_met and tally.adopted(count, item.majority, item.majority_base)
    item.save()
    _record(
        acting_user,
        "governance.close_item",
        item,
        assembly.entity_id,
        adopted=item.adopted,
        quorum_met=item.quorum_met,
    )
    return item


def _hold_item(item: AgendaItem) -> str:
    """The item's status now, held until this vote commits: a share lock lets votes go
    together, while close_item's row lock waits for them (and they for it), so every vote
    stored is in the tally. SQLite lets one writer in at a time: a plain read is enough."""
    table = AgendaItem._meta.db_table
    with connection.cursor() as cursor:
        lock = " FOR SHARE" if connection.vendor == "postgresql" else ""
        cursor.execute(f"SELECT status FROM {table} WHERE id = %s{lock}", [item.pk])  # noqa: S608
        row = cursor.fetchone()
    if row is None:
        raise StateConflict("this item no longer exists")
    return str(row[0])


def _stored(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.000001"))


@action("governance.close_assembly")
def close_assembly(*, assembly: Assembly, acting_user: Any) -> Assembly:
    _require_chair(acting_user, assembly)
    assembly = _locked(assembly)
    if assembly.status != AssemblyStatus.OPEN:
        raise StateConflict("only an assembly in session closes")
    if assembly.items.filter(status=ItemStatus.OPEN).exists():
        raise StateConflict("close the open item first")
    assembly.status, assembly.closed_at = AssemblyStatus.CLOSED, clock.now()
    assembly.save(update_fields=["status", "closed_at"])
    _record(acting_user, "governance.close_assembly", assembly, assembly.entity_id)
    return assembly


# --- votes -------------------------------------------------------------------------------------
@action("governance.cast_vote")
def cast_vote(*, item: AgendaItem, participant: Participant, choice: str, acting_user: Any) -> Vote:
    """One vote per shareholder and item, by themselves or their proxy holder; before the
    session (advance vote) or while the chair holds the item open. Online voters count present."""
    if choice not in Choice.values:
        raise InvalidInput("for, against or abstain", field="choice")
    person = person_of(acting_user)
    own = person is not None and participant.person_id == person.pk
    by_proxy = person is not None and participant.proxy_holder_id == person.pk
    if not (by_proxy or (own and participant.proxy_holder_id is None)):
        raise AccessDenied("you vote only for yourself and the proxies you hold")
    assembly = item.assembly
    if participant.assembly_id != assembly.pk or not item.needs_vote:
        raise InvalidInput("this item is not put to this shareholder's vote")
    instructed = participant.proxy_instructions.get(str(item.pk)) if by_proxy else None
    if instructed and assembly.proxy_instructions_bind and choice != instructed:
        raise RuleViolation(f"the proxy's instruction on this item is: {instructed}")
    status = _hold_item(item)
    advance = assembly.status == AssemblyStatus.CONVENED and status == ItemStatus.PENDING
    if not advance and status != ItemStatus.OPEN:
        raise StateConflict("this vote is not open")
    try:
        with transaction.atomic():
            vote = Vote.objects.create(
                item=item, participant=participant, choice=choice, cast_by=person
            )
    except IntegrityError as exc:
        raise StateConflict("a vote was already cast for this shareholder on this item") from exc
    attendance = Attendance.ADVANCE if advance else Attendance.ONLINE
    Participant.objects.filter(pk=participant.pk, attendance=Attendance.ABSENT).update(
        attendance=attendance
    )
    _record(acting_user, "governance.cast_vote", vote, assembly.entity_id, item=item.pk)
    return vote


# --- minutes and second convocation ------------------------------------------------------------
@action("governance.sign_minutes")
def sign_minutes(*, assembly: Assembly, acting_user: Any) -> Assembly:
    """Generate the minutes from the records and seal them: once signed they never change."""
    from mutua.governance.documents import minutes_pdf

    _require_chair(acting_user, assembly)
    assembly = _locked(assembly)
    if assembly.status != AssemblyStatus.CLOSED:
        raise StateConflict("minutes are signed after the assembly closes")
    if assembly.minutes_signed_at is not None:
        raise StateConflict("the minutes are signed and can no longer change")
    pdf = minutes_pdf(assembly)
    assembly.minutes_pdf, assembly.minutes_digest = pdf, hashlib.sha256(pdf).hexdigest()
    assembly.minutes_signed_at = clock.now()
    assembly.save(update_fields=["minutes_pdf", "minutes_digest", "minutes_signed_at"])
    _record(
        acting_user,
        "governance.sign_minutes",
        assembly,
        assembly.entity_id,
        digest=assembly.minutes_digest,
    )
    return assembly


@action("governance.convene_second")
def convene_second(*, assembly: Assembly, starts_at: dt.datetime, acting_user: Any) -> Assembly:
    """Prepare a second assembly for the items that lacked their quorum: it deliberates
    whatever the attendance (6:86 by default). Convene it like any assembly."""
    require_role(acting_user, BOARD_ROLES, assembly.entity, "only the board convenes")
    assembly = _locked(assembly)
    missing = list(assembly.items.filter(quorum_met=False).order_by("position"))
    if assembly.status != AssemblyStatus.CLOSED or not missing:
        raise StateConflict("a second convocation follows a closed assembly that lacked quorum")
    second = create_assembly(
        entity=assembly.entity,
        kind=assembly.kind,
        title=f"{assembly.title} (2)",
        starts_at=starts_at,
        place=assembly.place,
        chair=assembly.chair,
        first_convocation=assembly,
        acting_user=acting_user,
    )
    for item in missing:
        add_agenda_item(
            assembly=second,
            title=item.title,
            resolution=item.resolution,
            majority=item.majority,
            majority_base=item.majority_base,
            quorum_kind=item.quorum_kind,
            quorum=item.quorum,
            acting_user=acting_user,
        )
    _record(
        acting_user,
        "governance.convene_second",
        second,
        assembly.entity_id,
        first=assembly.pk,
        items=len(missing),
    )
    return second


@action("governance.define_colleges")
def define_colleges(
    *, entity: Entity, colleges: dict[str, tuple[str, Decimal]], acting_user: Any
) -> list[College]:
    """Voting colleges (SCOP/SCIC): one per share class code, each holding between the statutes'
    bounds (10 %-50 % by default) of the votes, 100 % together, at least three."""
    require_role(acting_user, BOARD_ROLES, entity, "only the board sets the colleges")
    rules = rules_of(entity)
    weights = {code: Decimal(weight) for code, (_, weight) in colleges.items()}
    tally.check_college_weights(weights, rules.college_min, rules.college_max)
    College.objects.filter(entity=entity).delete()
    made = College.objects.bulk_create(
        College(entity=entity, code=code, name=name, weight=Decimal(weight))
        for code, (name, weight) in colleges.items()
    )
    audit.record(
        actor=acting_user,
        action="governance.define_colleges",
        entity_id=entity.pk,
        after={code: str(weight) for code, weight in weights.items()},
    )
    return made
