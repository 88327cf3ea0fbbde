"""The client's link: a signed token carrying the order form's id and link version.

No account is needed: whoever holds the link may answer for the client, so the token is signed
(django.core.signing, salted for this one purpose), expires, and names the version of the form
it was sent for. Sending again bumps the version, so a link to an older version says so instead
of letting the client confirm terms that have since changed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core import signing

from mutua.core.errors import InvalidInput, NotFound
from mutua.engagements.models import OrderForm

SALT = "mutua.engagements.client-link"
LINK_MAX_AGE = dt.timedelta(days=30)


class LinkExpired(InvalidInput):
    code = "link_expired"


class LinkReplaced(InvalidInput):
    """The form was changed and sent again since this link was made."""

    code = "link_replaced"


def make_token(order_form: OrderForm) -> str:
    return signing.dumps({"id": order_form.pk, "v": order_form.link_version}, salt=SALT)


def read_token(token: str) -> tuple[int, int]:
    """(order form id, link version) of an authentic, unexpired token."""
    try:
        data: Any = signing.loads(token, salt=SALT, max_age=LINK_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise LinkExpired("this link has expired: ask for a new one") from exc
    except signing.BadSignature as exc:
        raise NotFound("this link is not valid") from exc
    if not isinstance(data, dict) or not isinstance(data.get("id"), int):
        raise NotFound("this link is not valid")
    return data["id"], int(data.get("v", -1))


def order_form_for_token(token: str, *, for_update: bool = False) -> OrderForm:
    """The order form a link points to, refused when the link is forged, expired or replaced."""
    form_id, version = read_token(token)
    forms = OrderForm.objects.select_related("entity", "client", "activity", "created_by")
    if for_update:
        forms = forms.select_for_update(of=("self",))
    order_form = forms.filter(pk=form_id).first()
    if order_form is None:
        raise NotFound("this link is not valid")
    if version != order_form.link_version:
        raise LinkReplaced("this order form has changed since this link was sent")
    return order_form
