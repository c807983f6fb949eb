"""Navigation shown in the page header, by role."""

from accounts import permissions


def nav(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_can_manage": user.is_ops or user.role == "manager",
        "nav_can_import": permissions.can_import(user),
        "nav_is_ops": user.is_ops,
        "nav_is_fs": permissions.can_work_meetings(user),
    }
