"""Employment declarations: what Dimona (BE) and DPAE (FR) need, and pluggable transport.

The product prepares, records and tracks each declaration; a sender carries it to the
government service. The default sender drops a JSON file in an outbox folder (an operator's
upload tool or a gateway with the employer's credentials picks it up); the real REST transport
needs those credentials and plugs in with the `MUTUA_DECLARATION_SENDER` setting.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from mutua.contracts.models import Contract, Declaration, EntityContractSettings


def dimona_payload(contract: Contract, employer: EntityContractSettings | None) -> dict[str, Any]:
    """Dimona IN for a contract: employer number, worker NISS, joint committee, worker type, and
    for a fixed term the end date with the start (they go together, reference/payroll-be.md)."""
    person = contract.person
    return {
        "employer": {
            "nsso_number": employer.employer_number if employer else "",
            "enterprise_number": contract.entity.company_number,
        },
        "worker": {
            "ssin": person.national_number,
            "name": person.full_name,
            "birth_date": person.birth_date.isoformat() if person.birth_date else None,
        },
        "period": {
            "start_date": contract.start_date.isoformat(),
            "end_date": contract.end_date.isoformat() if contract.end_date else None,
            "joint_committee": employer.joint_committee if employer else "200",
            # OTH: ordinary worker; article 1bis artists are declared as such by the principal.
            "worker_type": "OTH",
            "article_1bis": contract.worker == "article_1bis",
        },
        "contract": contract.reference,
    }


def dpae_payload(contract: Contract, employer: EntityContractSettings | None) -> dict[str, Any]:
    """DPAE (déclaration préalable à l'embauche): at the latest before the work starts."""
    person = contract.person
    return {
        "employer": {
            "urssaf_number": employer.employer_number if employer else "",
            "siren": contract.entity.company_number,
        },
        "employee": {
            "nir": person.national_number,
            "last_name": person.last_name,
            "first_name": person.first_name,
            "birth_date": person.birth_date.isoformat() if person.birth_date else None,
        },
        "hiring": {
            "date": contract.start_date.isoformat(),
            "contract_type": "CDI" if contract.end_date is None else "CDD",
            "end_date": contract.end_date.isoformat() if contract.end_date else None,
            "cesa": True,
        },
        "contract": contract.reference,
    }


PAYLOADS = {"dimona": dimona_payload, "dpae": dpae_payload}


# --- transport ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Receipt:
    transport: str
    transport_ref: str
    reference: str = ""  # set when the service answers at once


class DeclarationSender(Protocol):
    def send(self, declaration: Declaration) -> Receipt: ...


def outbox_dir() -> Path:
    default = Path(settings.VAR_DIR) / "declarations" / "outbox"
    return Path(getattr(settings, "MUTUA_DECLARATION_OUTBOX", "") or default)


class FileDropSender:
    """Writes the declaration as JSON in the outbox. The file name is fixed per declaration, so
    sending again after a crash rewrites the same file instead of declaring twice."""

    def send(self, declaration: Declaration) -> Receipt:
        folder = outbox_dir()
        folder.mkdir(parents=True, exist_ok=True)
        name = (
            f"{declaration.scheme}-{declaration.entity.code}-{declaration.pk:08d}"
            f"-{declaration.action}.json"
        )
        body = {
            "scheme": declaration.scheme,
            "action": declaration.action,
            "declaration": declaration.pk,
            "cancels_reference": declaration.cancels.reference if declaration.cancels else None,
            **declaration.payload,
        }
        temporary = folder / f".{name}.tmp"
        temporary.write_text(json.dumps(body, indent=2, sort_keys=True), encoding="utf-8")
        os.replace(temporary, folder / name)
        return Receipt("file", name)


def declaration_sender() -> DeclarationSender:
    path = getattr(settings, "MUTUA_DECLARATION_SENDER", "")
    sender: DeclarationSender = import_string(path)() if path else FileDropSender()
    return sender
