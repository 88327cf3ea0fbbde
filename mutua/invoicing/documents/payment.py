"""Payment references and the SEPA payment QR code printed on invoices.

- Belgian structured communication (OGM/VCS, Febelfin): 10 digits + 2 check digits, the check
  being the 10 digits mod 97 (97 when that is 0), written +++ddd/dddd/ddddd+++. Belgian banks
  carry it unchanged to the bank statement, which is how a payment is matched to its invoice.
- RF creditor reference (ISO 11649) for entities outside Belgium: "RF" + 2 check digits + up to
  21 characters, checked with ISO 7064 MOD 97-10.
- EPC QR code (EPC069-12 "Quick Response Code: guidelines to enable data capture for the
  initiation of a SEPA Credit Transfer"): a banking app scans it and pre-fills the transfer.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import qrcode
import qrcode.constants
from qrcode.image.svg import SvgPathImage

from mutua.core.errors import InvalidInput

# --- Belgian structured communication -------------------------------------------------------


def structured_communication(base: int) -> str:
    """+++ddd/dddd/ddddd+++ for a base number of at most 10 digits (Febelfin)."""
    if not 0 < base < 10**10:
        raise InvalidInput(f"structured communication base must have 1-10 digits, got {base}")
    digits = f"{base:010d}{ogm_check_digits(base):02d}"
    return f"+++{digits[:3]}/{digits[3:7]}/{digits[7:]}+++"


def ogm_check_digits(base: int) -> int:
    return base % 97 or 97


def ogm_digits(reference: str) -> str | None:
    """The 12 digits of a Belgian structured communication, or None if it is not one."""
    digits = "".join(ch for ch in reference if ch.isdigit())
    stripped = reference.strip().strip("+*").replace("/", "").strip()
    if len(digits) != 12 or stripped != digits:
        return None
    if int(digits[10:]) != ogm_check_digits(int(digits[:10])):
        return None
    return digits


# --- ISO 11649 creditor reference -----------------------------------------------------------


def rf_creditor_reference(reference: str) -> str:
    """RF + check digits + reference (ISO 11649), e.g. "2026000123" -> "RF482026000123"."""
    body = reference.replace(" ", "").upper()
    if not (0 < len(body) <= 21 and body.isalnum() and body.isascii()):
        raise InvalidInput(f"RF reference body must be 1-21 letters or digits, got {reference!r}")
    check = 98 - _mod97(body + "RF00")
    return f"RF{check:02d}{body}"


def is_rf_creditor_reference(reference: str) -> bool:
    compact = reference.replace(" ", "").upper()
    if not (5 <= len(compact) <= 25 and compact.startswith("RF") and compact.isalnum()):
        return False
    return compact[2:4].isdigit() and _mod97(compact[4:] + compact[:4]) == 1


def _mod97(text: str) -> int:
    # ISO 7064 MOD 97-10: letters count as 10..35, as in IBANs.
    return int("".join(str(int(ch, 36)) for ch in text)) % 97


# --- EPC QR code (EPC069-12) ------------------------------------------------------------------

EPC_MAX_BYTES = 331  # EPC069-12 §3.4: maximum payload size
EPC_MAX_AMOUNT = Decimal("999999999.99")


@dataclass(frozen=True, slots=True)
class CreditTransfer:
    """What the payer's bank needs to pre-fill a SEPA credit transfer."""

    beneficiary_name: str
    iban: str
    amount: Decimal
    currency: str
    bic: str = ""
    reference: str = ""  # structured (OGM or RF) or free text
    purpose: str = ""  # ISO 20022 purpose code, 4 letters, usually empty


def epc_qr_payload(transfer: CreditTransfer) -> str | None:
    """The EPC069-12 payload, or None when the transfer cannot be paid by SEPA QR (not EUR, 0)."""
    if transfer.currency != "EUR" or transfer.amount <= 0:
        return None
    if transfer.amount > EPC_MAX_AMOUNT:
        raise InvalidInput(f"amount {transfer.amount} exceeds the EPC QR maximum")
    structured, unstructured = _remittance(transfer.reference)
    fields = [
        "BCD",  # service tag
        "002",  # version: 002 makes the BIC optional inside the EEA
        "1",  # character set: 1 = UTF-8
        "SCT",  # identification: SEPA Credit Transfer
        transfer.bic.replace(" ", ""),
        transfer.beneficiary_name.strip()[:70],
        transfer.iban.replace(" ", "").upper(),
        f"EUR{transfer.amount.quantize(Decimal('0.01'))}",
        transfer.purpose,
        structured,  # structured remittance, max 35 (field 10)
        unstructured[:140],  # unstructured remittance, max 140 (field 11), exclusive with 10
    ]
    while _payload_size(fields) > EPC_MAX_BYTES and fields[10]:
        fields[10] = fields[10][:-1]  # free text is the only part that may be shortened
    if _payload_size(fields) > EPC_MAX_BYTES:
        raise InvalidInput(f"EPC QR payload exceeds {EPC_MAX_BYTES} bytes")
    return _join(fields)


def _join(fields: list[str]) -> str:
    # The last populated field must not be followed by a separator (EPC069-12 §3.4).
    return "\n".join(fields).rstrip("\n")


def _payload_size(fields: list[str]) -> int:
    return len(_join(fields).encode("utf-8"))


def _remittance(reference: str) -> tuple[str, str]:
    """Split a reference into EPC structured (field 10) or unstructured (field 11) text.

    RF references go in the structured field (EPC069-12). Belgian banks also read the 12 digits of
    a structured communication there (Febelfin), so it reaches the statement as an OGM and the
    payment matches automatically; anything else is free text.
    """
    if is_rf_creditor_reference(reference):
        return reference.replace(" ", "").upper(), ""
    digits = ogm_digits(reference)
    if digits is not None:
        return digits, ""
    return "", reference.strip()


def qr_svg(payload: str) -> str:
    """Render a QR code as an inline SVG string (one path, no network, no raster)."""
    qr = qrcode.QRCode(
        # EPC069-12 §3.1: error correction level M.
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        image_factory=SvgPathImage,
        border=4,  # the quiet zone of 4 modules required by ISO/IEC 18004
    )
    qr.add_data(payload.encode("utf-8"))
    qr.make(fit=True)
    svg = qr.make_image().to_string(encoding="unicode")
    return str(svg).split("?>", 1)[-1].strip()  # drop the XML declaration to inline it in HTML
