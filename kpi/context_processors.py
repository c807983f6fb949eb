"""Header navigation for the signed-in user."""

import functools

from .navigation import nav_for
from .selectors.reviews import open_count_for


def nav(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not hasattr(user, "role"):
        return {}

    nav = nav_for(user, request.path)
    # Counted only where the template shows the badge (managers, ops), and only once per page.
    badge = functools.cache(lambda: open_count_for(user))
    return {"nav_items": nav["main"], "nav_admin": nav["admin"], "review_badge": badge}
