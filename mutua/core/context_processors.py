from typing import Any

from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict[str, Any]:
    from mutua.members.queries import is_staff_user

    user = getattr(request, "user", None)
    return {"user_is_staff": bool(user and user.is_authenticated and is_staff_user(user))}
