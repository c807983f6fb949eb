"""The Japanese catalogs, one per area (locale/<area>/ja), are merged into one at run time: a msgid
two areas translate differently shows only one translation everywhere, whichever catalog wins. Words
that mean different things on different pages carry a context instead (pgettext)."""

import gettext
from pathlib import Path

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

CATALOGS = sorted(Path(settings.BASE_DIR, "locale").glob("*/ja/LC_MESSAGES/django.mo"))


def test_no_msgid_has_two_japanese_translations():
    assert len(CATALOGS) >= 4
    seen: dict[str, dict[str, str]] = {}
    for path in CATALOGS:
        with path.open("rb") as mo:
            catalog = gettext.GNUTranslations(mo)._catalog
        for msgid, msgstr in catalog.items():
            if msgid and msgstr:  # "" is the header
                seen.setdefault(str(msgid), {})[path.parts[-4]] = msgstr
    conflicts = {msgid: areas for msgid, areas in seen.items() if len(set(areas.values())) > 1}
    assert conflicts == {}


def test_words_with_two_meanings_are_told_apart_by_context():
    with translation.override("ja"):
        assert (_("Name"), pgettext("thing", "Name")) == ("氏名", "名称")  # a person's / an integration's
        assert (_("Who"), pgettext("subject", "Who")) == ("実施者", "対象")  # who acted / whom a target is for
        assert (_("What"), pgettext("kind", "What")) == ("内容", "種類")  # what changed / which kind of import
        assert (_("Source"), pgettext("figure", "Source")) == ("ソース", "出典")  # a system / where a figure comes from
        assert (_("Day"), pgettext("date", "Day")) == ("日", "日付")  # a granularity / a date column
        # a review item being worked on / a meeting whose outcome FS has not entered yet
        assert (_("Open"), pgettext("meeting outcome", "Open")) == ("対応中", "結果未入力")
