"""Rules of the house that a tool checks (docs/adr/0005-layers-checked-by-a-tool.md).

The import contracts run in `make lint` (`lint-imports`, [tool.importlinter] in pyproject.toml).
This test keeps country branches inside `countries/`: no code elsewhere compares with a country
code. The places that still do are listed, each to move into its country pack (issue "One plug
per country"); the list may only shrink.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import mutua

ROOT = Path(mutua.__file__).parent
CODES = "BE|FR|SE|DE|AT|ES|IT|NL|HU"
BRANCH = re.compile(
    rf"""(==|!=)\s*["']({CODES})["']|["']({CODES})["']\s*(==|!=)|in\s*\(\s*["']({CODES})["']"""
)
STILL_BRANCHING = Counter(
    {
        "expenses/demo.py": 1,  # demo VAT rate: the pack's demo data
        "banking/demo.py": 1,  # demo statement format: the pack's demo data
        "payroll/bench.py": 1,  # benchmark over the shipped countries
        # The demo federation's per-country data (identifiers, entities, statements): each
        # pack's demo data.
        "demo/identifiers.py": 2,
        "demo/federation.py": 4,
        "demo/money.py": 2,
    }
)


def branches() -> Counter[str]:
    found: Counter[str] = Counter()
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith("countries/") or "/migrations/" in relative:
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if BRANCH.search(line.split("#")[0]):
                found[relative] += 1
    return found


def test_no_new_country_branch_outside_the_country_packs() -> None:
    found = branches()
    new = {path: n for path, n in found.items() if n > STILL_BRANCHING.get(path, 0)}
    assert not new, f"compare with a country code only inside countries/<cc>/: {new}"


def test_the_list_of_remaining_branches_only_shrinks() -> None:
    found = branches()
    gone = {path for path in STILL_BRANCHING if found.get(path, 0) < STILL_BRANCHING[path]}
    assert not gone, f"these no longer branch on a country: remove them from the list: {gone}"


def test_the_branch_pattern_sees_the_usual_forms() -> None:
    for line in ('if x.country == "BE":', "if 'FR' != code:", 'if code in ("BE", "FR"):'):
        assert BRANCH.search(line), line
    assert not BRANCH.search('label = "BE"')


def test_other_apps_reach_a_country_package_only_through_the_registry() -> None:
    dotted = re.compile(r"mutua\.countries\.\{|countries\.(be|fr|se)\b")
    found = [
        path.relative_to(ROOT).as_posix()
        for path in ROOT.rglob("*.py")
        if not path.relative_to(ROOT).as_posix().startswith(("countries/", "demo/"))
        and dotted.search(path.read_text(encoding="utf-8"))
    ]
    assert found == [], f"use mutua.countries.registry.country_part: {found}"


# Modules whose actions still live outside an actions module (issue "One plug per country",
# item 4: move them into `<app>/actions.py` or an `actions/` package); the list only shrinks.
ACTIONS_ELSEWHERE = {
    "banking/payouts.py",
    "contracts/smoothing.py",
    "fund/advances.py",
    "invoicing/dunning.py",
    "invoicing/internal.py",
    "invoicing/payments.py",
    "invoicing/sending.py",
    "payroll/copyright.py",
    "reporting/rates.py",
}


def _is_actions_module(relative: str) -> bool:
    name = relative.rsplit("/", 1)[-1]
    return name == "actions.py" or name.endswith("_actions.py") or "/actions/" in relative


def test_every_write_is_an_action_in_an_actions_module() -> None:
    found = {
        path.relative_to(ROOT).as_posix()
        for path in ROOT.rglob("*.py")
        if "@action(" in path.read_text(encoding="utf-8")
    }
    elsewhere = {relative for relative in found if not _is_actions_module(relative)}
    new, moved = elsewhere - ACTIONS_ELSEWHERE, ACTIONS_ELSEWHERE - elsewhere
    assert not new, f"put actions in an actions module: {new}"
    assert not moved, f"moved into an actions module: remove them from the list: {moved}"
