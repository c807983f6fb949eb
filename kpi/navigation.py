"""The header navigation: every page of the product, who sees it, in order.

An entry whose URL name is not routed (yet) is simply left out, so areas can land independently.
"""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

ALL = frozenset({"rep", "manager", "fs", "marketing", "ops"})
MANAGERS = frozenset({"manager", "ops"})


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str
    roles: frozenset
    admin: bool = False  # shown under the "Admin" menu instead of the main bar


ITEMS = (
    NavItem("today", _("Today"), frozenset({"rep"})),
    NavItem("my_rep_page", _("My numbers"), frozenset({"rep"})),
    NavItem("my_team", _("Team board"), frozenset({"rep", "manager", "ops"})),
    NavItem("org_board", _("Organisation"), frozenset({"manager", "marketing", "ops"})),
    NavItem("weekly_review_home", _("Weekly review"), MANAGERS),
    NavItem("review_items", _("Review items"), MANAGERS),
    NavItem("planner", _("Planner"), MANAGERS),
    NavItem("targets", _("Targets"), MANAGERS),
    NavItem("fs_meetings", _("Meetings"), frozenset({"fs", "ops"})),
    NavItem("leads", _("Leads"), frozenset({"marketing", "ops"})),
    NavItem("lead_supply", _("Lead supply"), frozenset({"marketing", "fs", "manager", "ops"})),
    NavItem("marketing", _("Marketing"), frozenset({"marketing"})),
    NavItem("kpi_sheet", _("KPI sheet"), ALL),
    NavItem("imports", _("Imports"), MANAGERS, admin=True),
    NavItem("integrations", _("Integrations"), frozenset({"ops"}), admin=True),
    NavItem("people", _("People"), frozenset({"ops"}), admin=True),
    NavItem("org_structure", _("Org structure"), frozenset({"ops"}), admin=True),
    NavItem("holidays", _("Holidays"), frozenset({"ops"}), admin=True),
    NavItem("job_health", _("Job health"), frozenset({"ops"}), admin=True),
    NavItem("feeds", _("Data feeds"), MANAGERS, admin=True),
)


def nav_for(user, current_path: str) -> dict[str, list[dict]]:
    role = "ops" if user.is_ops else user.role
    items: dict[str, list[dict]] = {"main": [], "admin": []}
    for item in ITEMS:
        if role not in item.roles:
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        active = current_path.startswith(url) and url != "/"
        entry = {"key": item.url_name, "url": url, "label": item.label, "active": active}
        items["admin" if item.admin else "main"].append(entry)
    return items
