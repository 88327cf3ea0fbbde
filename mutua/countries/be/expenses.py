"""Belgian expense claims: categories and the default rules, dated, each with its source.

Tags as in reference/business-model.md: [V] official or reproduced official figure, [T] third
party quoting the official text, [U] not verified (an entity sets its own value).
An entity's own ExpenseRules rows override these defaults from their start date.
"""

import datetime as dt
from decimal import Decimal as D

# (code, label, kind): the kind tells the calculation (mutua.expenses.rules.KINDS).
CATEGORIES = (
    ("travel", "Transport (train, bus, taxi, plane)", "receipt"),
    ("mileage", "Mileage with a private vehicle", "mileage"),
    ("meals", "Meals", "receipt"),
    ("per_diem_full", "Daily allowance, full day", "per_diem_full"),
    ("per_diem_travel", "Daily allowance, travel day", "per_diem_travel"),
    ("accommodation", "Accommodation", "accommodation"),
    ("equipment", "Equipment", "receipt"),
    ("supplies", "Supplies and small material", "receipt"),
    ("services", "Services (printing, hosting, subcontracting)", "receipt"),
    ("other", "Other", "receipt"),
)

_MILEAGE = (
    "Flat mileage allowance of the federal civil service, yearly system (Royal Decree of "
    "18 January 1965), accepted by ONSS and the tax authority as a serious norm"
)
_STAY = (
    "Circular 2024/C/38 (AR 13.07.2017 art. 86-88): daily meal allowance 20.80 EUR and "
    "accommodation 156.05 EUR per night from 1 June 2024 [T]"
)
# Each row: valid_from plus the values in force from then on.
RULES = (
    {
        "valid_from": dt.date(2024, 1, 1),
        "mileage_rate": D("0.4280"),  # [T] droitsquotidiens.be: 1.7.2023-30.6.2024, yearly system
        "per_diem_full": D("20.80"),  # [U] before 1.6.2024 not verified; the June 2024 figure
        "per_diem_travel": D("20.80"),  # the federal rule has no reduced travel-day amount
        "accommodation_ceiling": D("156.05"),
        "source": f"{_MILEAGE}: 0.4280 EUR/km [T]; {_STAY}",
    },
    {
        "valid_from": dt.date(2024, 7, 1),
        "mileage_rate": D("0.4415"),  # [T] circular 2025/C/18 quoting the 1.7.2024 amount
        "source": f"{_MILEAGE}: 0.4415 EUR/km from 1 July 2024 [T]; {_STAY}",
    },
    {
        "valid_from": dt.date(2025, 7, 1),
        "mileage_rate": D("0.4449"),  # [T] sector notice quoting the 1.7.2025 federal amount
        "source": f"{_MILEAGE}: 0.4449 EUR/km from 1 July 2025 [T]; {_STAY}",
    },
)
# Rules that do not move with the years: claims of last year by mid-January, receipts kept
# seven years, a claim never above the activity budget [V] (SMart Belgium's published rules).
STANDING = {
    "deadline_month": 1,
    "deadline_day": 15,
    "retention_years": 7,
    "refund_only_collected": False,  # [U] SMart Germany does; Belgium states only the budget
    "self_approval_allowed": False,
    "self_approval_threshold": D("0"),
}
# Approval limits per staff role (None: no limit) [U]: an entity sets its own.
APPROVAL_LIMITS = {"adviser": D("2500.00"), "administrator": None}
