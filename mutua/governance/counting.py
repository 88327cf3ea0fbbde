"""Counting an election's ballots: "choose up to N" (plurality) and STV with the Droop quota.

Pure module (no ORM): the product counts a closed election with `count(...)`, and
`mutua election count BALLOTS.csv` counts a published ballot file with the very same code, so
anyone can recount the board and get the same result (DESIGN.md §5).

Ballot file: one ballot per line, its candidates separated by `>` (most preferred first for STV;
any order for plurality). Blank lines are blank ballots and are not votes cast. Lines starting
with `#` are comments, except `# candidates: A > B > C`, which names every candidate standing
(so candidates nobody chose still appear in the count).

STV transfer method: the Weighted Inclusive Gregory Method as in the Scottish Local Government
Elections Order 2007 (schedule 1, rules 45-52). Quota = floor(valid ballots / (seats + 1)) + 1.
Each ballot carries a value (1 at the start). When a candidate reaches the quota they are
elected; surpluses are transferred before any exclusion, the largest first. All ballots of the
elected candidate move to their next continuing preference, each at
`value × surplus / candidate's total`, truncated to 5 decimal places (the truncation loss is
reported). When no surplus is left to transfer, the candidate with the fewest votes is excluded
and their ballots move at their current value. When the continuing candidates are no more than the
seats left, they are all elected.

Ties (the candidate to exclude, the surplus to transfer first, the last plurality seat) are broken
first by the earlier rounds (the candidate behind at the latest round where they differed), then
by lot. The lot is reproducible and independent of ballot order: candidates are ranked by
sha256(sha256(sorted ballot lines) + candidate name), lowest digest first, and the lot favours the
candidate ranked first.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal
from typing import Any

from mutua.core.errors import InvalidInput

PLURALITY = "plurality"
STV = "stv"
METHODS = (PLURALITY, STV)

SEPARATOR = ">"
CANDIDATES_HEADER = "candidates:"
PRECISION = Decimal("0.00001")  # five decimal places, as the Scottish rules

Ranking = tuple[str, ...]


@dataclass(frozen=True)
class BallotFile:
    candidates: tuple[str, ...]
    ballots: tuple[Ranking, ...]
    blank: int = 0


@dataclass(frozen=True)
class Round:
    number: int
    tallies: dict[str, Decimal]
    elected: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()
    transferred_from: str | None = None
    transfer_value: Decimal | None = None
    exhausted: Decimal = Decimal(0)
    rounding_loss: Decimal = Decimal(0)

    def as_dict(self) -> dict[str, Any]:
        return {
            "round": self.number,
            "tallies": {name: _text(votes) for name, votes in self.tallies.items()},
            "elected": list(self.elected),
            "excluded": list(self.excluded),
            "transferred_from": self.transferred_from,
            "transfer_value": None if self.transfer_value is None else _text(self.transfer_value),
            "exhausted": _text(self.exhausted),
            "rounding_loss": _text(self.rounding_loss),
        }


@dataclass(frozen=True)
class CountResult:
    method: str
    seats: int
    candidates: tuple[str, ...]
    ballots: int
    blank: int
    elected: tuple[str, ...]
    quota: Decimal | None = None
    rounds: tuple[Round, ...] = ()
    tallies: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        result: dict[str, Any] = {
            "method": self.method,
            "seats": self.seats,
            "candidates": list(self.candidates),
            "ballots": self.ballots,
            "blank": self.blank,
            "elected": list(self.elected),
        }
        if self.method == STV:
            result["quota"] = _text(self.quota or Decimal(0))
            result["rounds"] = [round_.as_dict() for round_ in self.rounds]
        else:
            result["tallies"] = dict(self.tallies)
        return result


def _text(value: Decimal) -> str:
    return str(value.quantize(PRECISION))


# --- the ballot file ----------------------------------------------------------------------------
def parse_ballots(text: str) -> BallotFile:
    """Read a ballot file; a malformed line raises InvalidInput naming its line number."""
    declared: tuple[str, ...] | None = None
    ballots: list[Ranking] = []
    blank = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if line.startswith("#"):
            comment = line[1:].strip()
            if comment.lower().startswith(CANDIDATES_HEADER):
                declared = _ranking(comment[len(CANDIDATES_HEADER) :], number)
            continue
        if not line:
            blank += 1
            continue
        ballots.append(_ranking(line, number))
    candidates = declared if declared is not None else _seen(ballots)
    _check_known(ballots, candidates)
    return BallotFile(candidates=tuple(candidates), ballots=tuple(ballots), blank=blank)


def ballot_lines(candidates: Sequence[str], ballots: Iterable[Ranking]) -> str:
    """Write ballots in the file format parse_ballots reads (the published board's download)."""
    lines = [f"# {CANDIDATES_HEADER} {f' {SEPARATOR} '.join(candidates)}"]
    lines += [f" {SEPARATOR} ".join(ranking) for ranking in ballots]
    return "\n".join(lines) + "\n"


def _ranking(line: str, number: int) -> Ranking:
    names = tuple(name.strip() for name in line.split(SEPARATOR))
    if any(not name for name in names):
        raise InvalidInput(f"line {number}: an empty candidate name (two '>' in a row?)")
    if len(set(names)) != len(names):
        raise InvalidInput(f"line {number}: a candidate appears twice on one ballot")
    return names


def _seen(ballots: Iterable[Ranking]) -> list[str]:
    return sorted({name for ranking in ballots for name in ranking})


def _check_known(ballots: Iterable[Ranking], candidates: Sequence[str]) -> None:
    known = set(candidates)
    for index, ranking in enumerate(ballots, start=1):
        unknown = [name for name in ranking if name not in known]
        if unknown:
            raise InvalidInput(f"ballot {index}: {unknown[0]!r} is not a declared candidate")


# --- counting -----------------------------------------------------------------------------------
def count(
    ballots: Sequence[Ranking],
    *,
    seats: int,
    method: str,
    candidates: Sequence[str] | None = None,
    blank: int = 0,
) -> CountResult:
    """Count the ballots for `seats` seats by `method` (plurality or stv)."""
    if method not in METHODS:
        raise InvalidInput(f"unknown method {method!r}: use {' or '.join(METHODS)}")
    if seats < 1:
        raise InvalidInput("at least one seat is needed")
    names = tuple(candidates) if candidates is not None else tuple(_seen(ballots))
    _check_known(ballots, names)
    lot = lot_order(names, ballots)
    if method == PLURALITY:
        return _count_plurality(ballots, seats, names, lot, blank)
    return _Stv(ballots, seats, names, lot).run(blank)


def count_file(text: str, *, seats: int, method: str) -> CountResult:
    parsed = parse_ballots(text)
    return count(
        parsed.ballots,
        seats=seats,
        method=method,
        candidates=parsed.candidates,
        blank=parsed.blank,
    )


def lot_order(candidates: Iterable[str], ballots: Iterable[Ranking]) -> dict[str, int]:
    """The reproducible lot: rank of each candidate (0 wins a tie), independent of ballot order."""
    lines = sorted(SEPARATOR.join(ranking) for ranking in ballots)
    seed = hashlib.sha256("\n".join(lines).encode()).hexdigest()
    drawn = sorted(candidates, key=lambda name: hashlib.sha256(f"{seed}{name}".encode()).digest())
    return {name: rank for rank, name in enumerate(drawn)}


def _count_plurality(
    ballots: Sequence[Ranking], seats: int, names: tuple[str, ...], lot: dict[str, int], blank: int
) -> CountResult:
    for index, ranking in enumerate(ballots, start=1):
        if len(ranking) > seats:
            raise InvalidInput(
                f"ballot {index} chooses {len(ranking)} candidates for {seats} seats"
            )
    votes = Counter(name for ranking in ballots for name in ranking)
    tallies = {name: votes[name] for name in names}
    ordered = sorted(names, key=lambda name: (-tallies[name], lot[name]))
    return CountResult(
        method=PLURALITY,
        seats=seats,
        candidates=names,
        ballots=len(ballots),
        blank=blank,
        elected=tuple(ordered[:seats]),
        tallies=dict(sorted(tallies.items(), key=lambda item: (-item[1], lot[item[0]]))),
    )


@dataclass
class _Parcel:
    """Identical ballots at the same value: counted together, which keeps big counts fast."""

    ranking: Ranking
    copies: int
    value: Decimal

    @property
    def votes(self) -> Decimal:
        return self.value * self.copies


class _Stv:
    def __init__(
        self, ballots: Sequence[Ranking], seats: int, names: tuple[str, ...], lot: dict[str, int]
    ) -> None:
        self.seats = seats
        self.names = names
        self.lot = lot
        self.valid = len(ballots)
        self.quota = Decimal(self.valid // (seats + 1) + 1)
        self.continuing = set(names)
        self.elected: list[str] = []
        self.waiting_surplus: list[str] = []
        self.settled: dict[str, Decimal] = {}
        self.piles: dict[str, list[_Parcel]] = {name: [] for name in names}
        self.exhausted = Decimal(0)
        self.loss = Decimal(0)
        self.history: list[dict[str, Decimal]] = []
        self.rounds: list[Round] = []
        for ranking, copies in sorted(Counter(ballots).items()):
            self._place(_Parcel(ranking, copies, Decimal(1)))

    # a ballot goes to its first preference still continuing, or is exhausted
    def _place(self, parcel: _Parcel) -> None:
        for name in parcel.ranking:
            if name in self.continuing:
                self.piles[name].append(parcel)
                return
        self.exhausted += parcel.votes

    def _total(self, name: str) -> Decimal:
        return sum((parcel.votes for parcel in self.piles[name]), Decimal(0))

    def _tallies(self) -> dict[str, Decimal]:
        shown = {name: self._total(name) for name in self.names if name in self.continuing}
        for name in self.elected:
            shown[name] = self.settled.get(name, self._total(name))
        return dict(sorted(shown.items(), key=lambda item: (-item[1], self.lot[item[0]])))

    def _behind_first(self, name: str) -> tuple[Any, ...]:
        """Sort key: fewest votes now, then fewest at the latest round where they differed."""
        past = tuple(tallies.get(name, Decimal(0)) for tallies in reversed(self.history))
        return (self._total(name), past, -self.lot[name])

    def run(self, blank: int) -> CountResult:
        while len(self.elected) < self.seats and (self.continuing or self.waiting_surplus):
            self.history.append({name: self._total(name) for name in self.names})
            if self._elect_reaching_quota() or self._elect_remaining():
                continue
            if self.waiting_surplus:
                self._transfer_surplus()
            else:
                self._exclude_last()
        return CountResult(
            method=STV,
            seats=self.seats,
            candidates=self.names,
            ballots=self.valid,
            blank=blank,
            elected=tuple(self.elected),
            quota=self.quota,
            rounds=tuple(self.rounds),
        )

    def _elect(self, names: list[str]) -> None:
        ordered = sorted(names, key=self._behind_first, reverse=True)
        for name in ordered:
            self.continuing.discard(name)
            self.elected.append(name)
            self.waiting_surplus.append(name)
        self._record(elected=tuple(ordered))

    def _elect_reaching_quota(self) -> bool:
        reached = [name for name in self.continuing if self._total(name) >= self.quota]
        seats_left = self.seats - len(self.elected)
        if not reached:
            return False
        self._elect(sorted(reached, key=self._behind_first, reverse=True)[:seats_left])
        return True

    def _elect_remaining(self) -> bool:
        seats_left = self.seats - len(self.elected)
        if not self.continuing or len(self.continuing) > seats_left:
            return False
        self._elect(list(self.continuing))
        return True

    def _transfer_surplus(self) -> None:
        name = max(self.waiting_surplus, key=self._behind_first)
        self.waiting_surplus.remove(name)
        total = self._total(name)
        surplus = total - self.quota
        parcels, self.piles[name] = self.piles[name], []
        self.settled[name] = min(total, self.quota)
        if surplus <= 0:
            return
        moved = Decimal(0)
        for parcel in parcels:
            value = (parcel.value * surplus / total).quantize(PRECISION, rounding=ROUND_DOWN)
            moved += value * parcel.copies
            self._place(_Parcel(parcel.ranking, parcel.copies, value))
        self.loss += surplus - moved
        ratio = (surplus / total).quantize(PRECISION, rounding=ROUND_DOWN)
        self._record(transferred_from=name, transfer_value=ratio)

    def _exclude_last(self) -> None:
        name = min(self.continuing, key=self._behind_first)
        self.continuing.discard(name)
        parcels, self.piles[name] = self.piles[name], []
        for parcel in parcels:
            self._place(parcel)
        self._record(excluded=(name,))

    def _record(self, **change: Any) -> None:
        self.rounds.append(
            Round(
                number=len(self.rounds) + 1,
                tallies=self._tallies(),
                exhausted=self.exhausted,
                rounding_loss=self.loss,
                **change,
            )
        )
