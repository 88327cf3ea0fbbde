import datetime as dt

import pytest
from django.utils import timezone

from mutua.core.errors import InvalidInput
from mutua.members import actions
from mutua.members.models import AccessToken
from mutua.members.queries import user_for_token
from tests.conftest import make_user


def test_a_token_is_shown_once_and_stored_as_a_digest(db: object) -> None:
    user = make_user()
    token, plaintext = actions.create_access_token(user=user, name="laptop")
    assert plaintext.startswith("mutua_")
    assert plaintext not in {token.digest, token.prefix}
    assert not AccessToken.objects.filter(digest=plaintext).exists()
    assert user_for_token(plaintext) == user


def test_revoked_expired_and_unknown_tokens_authenticate_nobody(db: object) -> None:
    user = make_user()
    revoked, revoked_text = actions.create_access_token(user=user, name="old")
    actions.revoke_access_token(user=user, token_id=revoked.pk)
    soon = timezone.now() + dt.timedelta(minutes=5)
    _expiring, expiring_text = actions.create_access_token(user=user, name="ci", expires_at=soon)
    assert user_for_token(revoked_text) is None
    assert user_for_token(expiring_text, now=soon + dt.timedelta(seconds=1)) is None
    assert user_for_token("mutua_not-a-token") is None


def test_a_member_cannot_revoke_someone_elses_token(db: object) -> None:
    owner, other = make_user(), make_user()
    token, plaintext = actions.create_access_token(user=owner, name="phone")
    with pytest.raises(InvalidInput):
        actions.revoke_access_token(user=other, token_id=token.pk)
    assert user_for_token(plaintext) == owner


def test_a_token_needs_a_name_and_a_future_expiry(db: object) -> None:
    user = make_user()
    with pytest.raises(InvalidInput):
        actions.create_access_token(user=user, name=" ")
    with pytest.raises(InvalidInput):
        actions.create_access_token(
            user=user, name="x", expires_at=timezone.now() - dt.timedelta(days=1)
        )
