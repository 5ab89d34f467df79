"""What every page knows of the signed-in person."""

from __future__ import annotations

from django.http import HttpRequest


def signed_in(request: HttpRequest) -> dict[str, object]:
    """``me``: the person's unit and roles (see ``views.Member``)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from .views import member_of

    return {"me": member_of(request)}
