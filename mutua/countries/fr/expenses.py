"""French expense claims (notes de frais): categories and default rules, dated, with sources.

Tags as in reference/business-model.md ([V], [T], [U]). An entity's own ExpenseRules rows
override these defaults from their start date.
"""

import datetime as dt
from decimal import Decimal as D

CATEGORIES = (
    ("travel", "Transport (train, bus, taxi, avion)", "receipt"),
    ("mileage", "Indemnités kilométriques (véhicule personnel)", "mileage"),
    ("meals", "Repas", "receipt"),
    ("per_diem_full", "Indemnité de grand déplacement, journée complète", "per_diem_full"),
    ("per_diem_travel", "Indemnité de grand déplacement, jour de voyage", "per_diem_travel"),
    ("accommodation", "Hébergement", "accommodation"),
    ("equipment", "Matériel", "receipt"),
    ("supplies", "Fournitures", "receipt"),
    ("services", "Prestations (impression, hébergement web, sous-traitance)", "receipt"),
    ("other", "Autre", "receipt"),
)

RULES = (
    {
        "valid_from": dt.date(2025, 1, 1),
        # [T] barème kilométrique (BOFiP BAREME-000004), 5 CV, up to 5,000 km a year: d x 0.636,
        # unchanged since 2023; other powers and bands are for the member's own tax return.
        "mileage_rate": D("0.636"),
        # [T] URSSAF 2025, grand déplacement, first three months: meal 21.10 EUR, night and
        # breakfast outside Paris 56.10 EUR; a full day counts two meals, a travel day one.
        "per_diem_full": D("42.20"),
        "per_diem_travel": D("21.10"),
        "accommodation_ceiling": D("56.10"),
        "source": (
            "Barème kilométrique 2025, 5 CV <= 5 000 km (BOFiP) [T]; URSSAF frais "
            "professionnels 2025, grand déplacement (arrêté du 20 décembre 2002 art. 5) [T]"
        ),
    },
)
STANDING = {
    "deadline_month": 1,  # [U] no legal deadline: an entity sets its own
    "deadline_day": 31,
    # [T] Code de commerce L123-22: accounting records and their supporting documents 10 years.
    "retention_years": 10,
    "refund_only_collected": False,  # [U]
    "self_approval_allowed": False,
    "self_approval_threshold": D("0"),
}
APPROVAL_LIMITS = {"adviser": D("2500.00"), "administrator": None}
