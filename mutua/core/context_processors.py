from typing import Any

from django.http import HttpRequest

from mutua.core.staff import is_staff


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {"user_is_staff": bool(user and user.is_authenticated and is_staff(user))}
