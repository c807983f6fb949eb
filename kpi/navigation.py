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


ITEMS = (
    NavItem("today", _("Today"), frozenset({"rep"})),
    NavItem("my_team", _("Team board"), frozenset({"rep", "manager", "ops"})),
    NavItem("org_board", _("Organisation"), frozenset({"manager", "marketing", "ops"})),
    NavItem("weekly_review_home", _("Weekly review"), MANAGERS),
    NavItem("review_items", _("Review items"), MANAGERS),
    NavItem("planner", _("Planner"), MANAGERS),
    NavItem("targets", _("Targets"), MANAGERS),
    NavItem("fs_meetings", _("Meetings"), frozenset({"fs", "ops"})),
    NavItem("leads", _("Leads"), frozenset({"marketing", "ops"})),
    NavItem("lead_supply", _("Lead supply"), frozenset({"marketing", "fs", "manager", "ops"})),
    NavItem("kpi_sheet", _("KPI sheet"), ALL),
    NavItem("imports", _("Imports"), MANAGERS),
    NavItem("integrations", _("Integrations"), frozenset({"ops"})),
    NavItem("holidays", _("Holidays"), frozenset({"ops"})),
    NavItem("job_health", _("Job health"), frozenset({"ops"})),
)


def nav_for(user, current_path: str) -> list[dict]:
    role = "ops" if user.is_ops else user.role
    items = []
    for item in ITEMS:
        if role not in item.roles:
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        items.append(
            {
                "key": item.url_name,
                "url": url,
                "label": item.label,
                "active": current_path.startswith(url) and url != "/",
            }
        )
    return items
