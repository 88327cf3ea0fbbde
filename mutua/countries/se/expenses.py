"""Swedish expense claims (utlägg, milersättning, traktamente): categories and default rules,
dated, with sources. Tags as in reference/business-model.md ([V], [T], [U]). An entity's own
ExpenseRules rows override these defaults from their start date.
"""

import datetime as dt
from decimal import Decimal as D

CATEGORIES = (
    ("travel", "Resor (tåg, buss, taxi, flyg)", "receipt"),
    ("mileage", "Milersättning, egen bil", "mileage"),
    ("meals", "Måltider", "receipt"),
    ("per_diem_full", "Traktamente, heldag", "per_diem_full"),
    ("per_diem_travel", "Traktamente, halvdag", "per_diem_travel"),
    ("accommodation", "Logi", "accommodation"),
    ("equipment", "Utrustning", "receipt"),
    ("supplies", "Förbrukningsmaterial", "receipt"),
    ("services", "Tjänster", "receipt"),
    ("other", "Övrigt", "receipt"),
)

RULES = (
    {
        "valid_from": dt.date(2024, 1, 1),
        # [T] Skatteverket's tax-free mileage for a private car, 25 kr per mil (10 km), unchanged
        # 2023-2025 (quoted by several payroll guides): 2.50 SEK per km.
        "mileage_rate": D("2.50"),
        # [T] tax-free domestic traktamente 2024 and 2025: 290 kr a full day, 145 kr a half day.
        "per_diem_full": D("290.00"),
        "per_diem_travel": D("145.00"),
        # Lodging is refunded at its real cost (no tax-free ceiling): None means no ceiling.
        "accommodation_ceiling": None,
        "source": (
            "Skatteverket schablonbelopp: milersättning egen bil 25 kr/mil [T]; traktamente "
            "inrikes heldag 290 kr, halvdag 145 kr (2024, 2025) [T]"
        ),
    },
)
STANDING = {
    "deadline_month": 1,  # [U] no legal deadline: an entity sets its own
    "deadline_day": 31,
    # [T] Bokföringslagen (1999:1078) 7 kap. 2 §: records kept seven years.
    "retention_years": 7,
    "refund_only_collected": False,  # [U]
    "self_approval_allowed": False,
    "self_approval_threshold": D("0"),
}
APPROVAL_LIMITS = {"adviser": D("25000.00"), "administrator": None}
