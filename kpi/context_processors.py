"""Header navigation for the signed-in user."""

from .navigation import nav_for


def nav(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not hasattr(user, "role"):
        return {}
    from .selectors.reviews import open_count_for

    # A callable: the template counts open review items only where it shows the badge (managers, ops).
    nav = nav_for(user, request.path)
    return {"nav_items": nav["main"], "nav_admin": nav["admin"], "review_badge": lambda: open_count_for(user)}
