from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import models


def money_field(**options: Any) -> models.DecimalField:
    """The one shape of a stored amount: DecimalField(18, 2) (DESIGN.md §4), default zero."""
    options.setdefault("default", Decimal("0"))
    return models.DecimalField(max_digits=18, decimal_places=2, **options)
