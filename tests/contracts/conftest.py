"""A Belgian entity whose order forms make contracts directly (the contracts hand-off)."""

from __future__ import annotations

from typing import Any

import pytest

from mutua.engagements.actions import confirm_order_form_by_client
from mutua.engagements.models import OrderForm
from tests.engagements.conftest import answer_from, sent, shop  # noqa: F401  (fixture)

MAKER = "mutua.contracts.handoff.ContractMaker"


@pytest.fixture(autouse=True)
def _outbox(settings: Any, tmp_path: Any) -> Any:
    settings.MUTUA_DECLARATION_OUTBOX = str(tmp_path / "outbox")
    settings.MUTUA_CONTRACT_REQUESTER = MAKER
    return tmp_path / "outbox"


def confirmed(shop: dict[str, Any], **overrides: Any) -> OrderForm:  # noqa: F811
    """An order form sent, confirmed by the client by link, hence invoiced."""
    order_form, token = sent(shop, **overrides)
    confirm_order_form_by_client(token=token, **answer_from())  # type: ignore[arg-type]
    order_form.refresh_from_db()
    return order_form
