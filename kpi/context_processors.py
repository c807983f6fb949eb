"""Header navigation for the signed-in user."""

from .navigation import nav_for


def nav(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not hasattr(user, "role"):
        return {}
    return {"nav_items": nav_for(user, request.path)}
