"""The ballot box: how a secret ballot goes from its voter to the published board with nothing
that leads back to the voter, for whoever holds the database, its logs or its backups
(docs/adr/0004-secret-ballots.md; reference/governance.md, checklist 7).

Why a box. A row written in the voter's transaction shares the transaction id (PostgreSQL's
`xmin`) of the voter's record and its audit event; rows written one vote at a time are stored,
numbered and logged in the order of the votes (`ctid`, sequences, WAL, commit times). A ballot
row written in its own transaction just after the vote is no better: its transaction id follows
the voter's, and a crash between the two loses a ballot whose voter is marked as having voted
(or, the other way round, counts a ballot with no voter). So no ballot row is written while the
vote is open. Instead:

- **Casting** (election_actions.cast_ballot, one transaction): the voter's record (who voted),
  the audit event (the election only: no ballot, no tracker, no choice), and the election's
  `BallotBox` row rewritten: its sealed content is opened, the new ballot added, every ballot in
  it reshuffled, and the whole sealed again with a fresh nonce. The box row does share the
  voter's transaction id, but all it says is "the ballots not yet published, in random order":
  the voter's ballot is one of them, and without the key not even that can be read.
- **Sealed**: AES-256-GCM under a key derived (HKDF) from the server's SECRET_KEY for this
  election, which lives in the server's environment, never in the database, the logs or the
  backups. Every ballot is padded to the same length (the longest ballot this election allows),
  so the box's size tells how many ballots it holds (public anyway: the voter records) and
  nothing of what they say. Old versions of the row (dead tuples, WAL, backups) are sealed too.
- **Large elections**: when the box holds `BOX_CAPACITY` ballots, half of them, drawn at random,
  are sealed into a `SealedBatch` (random id, no time, always the same size), so a vote rewrites
  a bounded row while the box keeps at least `BOX_CAPACITY // 2` ballots mixed.
- **The count** (election_actions.count_election, after the vote closed, under the election's
  row lock that waits for votes under way): the box and the batches are opened, all the ballots
  shuffled together, and inserted as `Ballot` rows (random UUIDs, random trackers, no time) in
  that order in the count's one transaction; the batches are deleted and the box emptied. Every
  ballot row has the count's transaction id, its physical order is random, its id random.

What this does not protect against: someone who holds the server's SECRET_KEY *and* the history
of the box row (WAL archive, dead tuples, two backups taken between two votes) can open two
consecutive versions and see which ballot was added. Only a decryption key held by tellers
outside the server (threshold decryption, a verifiable mix-net) would close that; see the ADR.
SECRET_KEY can be rotated during a vote as long as the old key stays in SECRET_KEY_FALLBACKS
until the count.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.utils.encoding import force_bytes

from mutua.core.errors import StateConflict
from mutua.governance.models import (
    BallotBox,
    Candidacy,
    CandidacyStatus,
    Election,
    SealedBatch,
)

BOX_CAPACITY = 100  # a full box seals half its ballots, drawn at random, into a batch
VERSION = b"\x01"
NONCE_BYTES = 12
TRACKER_MAX = 20  # Ballot.tracker's length: the padding allows for the longest
_shuffler = secrets.SystemRandom()
T = TypeVar("T")


@dataclass(frozen=True)
class Entry:
    """One voter's ballot, in the box: their tracker and, for each constituency (id), the
    candidacies (ids) they chose, most preferred first; an empty list is a blank ballot."""

    tracker: str
    rankings: dict[int, list[int]]

    def line(self) -> str:
        rankings = {str(seat): list(chosen) for seat, chosen in sorted(self.rankings.items())}
        return json.dumps({"r": rankings, "t": self.tracker}, separators=(",", ":"))

    @classmethod
    def read(cls, line: str) -> Entry:
        data = json.loads(line)
        return cls(
            tracker=str(data["t"]),
            rankings={int(seat): [int(pk) for pk in chosen] for seat, chosen in data["r"].items()},
        )


def new_box(election: Election) -> BallotBox:
    """The empty box of a new election (in the transaction that creates it)."""
    return BallotBox.objects.create(election=election)


def drop(*, election: Election, entry: Entry) -> None:
    """Put a ballot in the box: inside the voter's transaction, which already holds the election
    (the box row lock serialises the votes of one election)."""
    box, _ = BallotBox.objects.select_for_update().get_or_create(election=election)
    entries = _open(election, box.sealed, "box")
    entries.append(entry)
    _shuffler.shuffle(entries)
    width = _width(election, entries)
    if len(entries) >= BOX_CAPACITY:
        spilled, entries = entries[: BOX_CAPACITY // 2], entries[BOX_CAPACITY // 2 :]
        SealedBatch.objects.create(
            election=election, sealed=_seal(election, spilled, "batch", width)
        )
    box.sealed = _seal(election, entries, "box", width)
    box.save(update_fields=["sealed"])


def empty(*, election: Election) -> list[Entry]:
    """Every ballot of the box and of its batches, shuffled together; the box is left empty and
    the batches deleted. Inside the count's transaction, which holds the election's row lock."""
    box, _ = BallotBox.objects.select_for_update().get_or_create(election=election)
    entries = _open(election, box.sealed, "box")
    batches = list(SealedBatch.objects.select_for_update().filter(election=election))
    for batch in batches:
        entries += _open(election, batch.sealed, "batch")
    SealedBatch.objects.filter(pk__in=[batch.pk for batch in batches]).delete()
    box.sealed = b""
    box.save(update_fields=["sealed"])
    _shuffler.shuffle(entries)
    return entries


def shuffle(items: list[T]) -> None:
    """Shuffle in place with the operating system's randomness (never a seeded generator)."""
    _shuffler.shuffle(items)


# --- sealing -----------------------------------------------------------------------------------
def _width(election: Election, entries: Sequence[Entry]) -> int:
    """The padded length of one ballot: the longest this election allows (every standing
    candidate ranked in every constituency), so a ballot's length says nothing of it."""
    standing: dict[int, list[int]] = {}
    for seat, pk in Candidacy.objects.filter(
        constituency__election=election, status=CandidacyStatus.STANDING
    ).values_list("constituency_id", "pk"):
        standing.setdefault(seat, []).append(pk)
    for seat in election.constituencies.values_list("pk", flat=True):
        standing.setdefault(seat, [])
    longest = Entry(tracker="f" * TRACKER_MAX, rankings=standing).line()
    return max([len(longest), *(len(entry.line()) for entry in entries)])


def _key(election: Election, secret: str | bytes) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=b"mutua.governance.election_box",
        info=f"ballot box of election {election.pk}".encode(),
    ).derive(force_bytes(secret))


def _context(election: Election, kind: str) -> bytes:
    return f"mutua ballot {kind} v1 election {election.pk}".encode()


def _seal(election: Election, entries: Sequence[Entry], kind: str, width: int) -> bytes:
    if not entries:
        return b""
    text = "\n".join(entry.line().ljust(width) for entry in entries).encode("ascii")
    nonce = secrets.token_bytes(NONCE_BYTES)
    sealed = AESGCM(_key(election, settings.SECRET_KEY)).encrypt(
        nonce, text, _context(election, kind)
    )
    return VERSION + nonce + sealed


def _open(election: Election, stored: bytes | memoryview, kind: str) -> list[Entry]:
    data = bytes(stored)
    if not data:
        return []
    if data[:1] != VERSION:
        raise StateConflict("the ballot box is in an unknown format")
    nonce, sealed = data[1 : 1 + NONCE_BYTES], data[1 + NONCE_BYTES :]
    secrets_to_try = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    for secret in secrets_to_try:
        try:
            text = AESGCM(_key(election, secret)).decrypt(nonce, sealed, _context(election, kind))
        except InvalidTag:
            continue
        return [Entry.read(line) for line in text.decode("ascii").split("\n")]
    raise StateConflict(
        "the ballot box cannot be opened with this server's keys: keep the SECRET_KEY the vote "
        "started with in SECRET_KEY_FALLBACKS until the count"
    )
