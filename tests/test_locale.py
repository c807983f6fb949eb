"""The Japanese catalogue: one file (locale/ja), every entry translated, so a msgid cannot have two
translations. Words that mean different things on different pages carry a context instead (pgettext)."""

import gettext
import re
from pathlib import Path

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

CATALOGS = sorted(Path(settings.BASE_DIR, "locale").glob("**/django.mo"))


def test_one_japanese_catalogue_with_every_entry_translated():
    assert [p.relative_to(settings.BASE_DIR).as_posix() for p in CATALOGS] == ["locale/ja/LC_MESSAGES/django.mo"]
    po = Path(settings.BASE_DIR, "locale/ja/LC_MESSAGES/django.po").read_text(encoding="utf-8")
    assert "#, fuzzy" not in po.split("\n\n", 1)[1]  # a fuzzy entry is not shown
    with CATALOGS[0].open("rb") as mo:
        catalog = gettext.GNUTranslations(mo)._catalog
    untranslated = [msgid for msgid, msgstr in catalog.items() if msgid and not msgstr]
    assert untranslated == []
    assert len(catalog) > 500


def test_words_with_two_meanings_are_told_apart_by_context():
    with translation.override("ja"):
        assert (_("Name"), pgettext("thing", "Name")) == ("氏名", "名称")  # a person's / an integration's
        assert (_("Who"), pgettext("subject", "Who")) == ("実施者", "対象")  # who acted / whom a target is for
        assert (_("What"), pgettext("kind", "What")) == ("内容", "種類")  # what changed / which kind of import
        assert (_("Source"), pgettext("figure", "Source")) == ("ソース", "出典")  # a system / where a figure comes from
        assert (_("Day"), pgettext("date", "Day")) == ("日", "日付")  # a granularity / a date column
        # a review item being worked on / a meeting whose outcome FS has not entered yet
        assert (_("Open"), pgettext("meeting outcome", "Open")) == ("対応中", "結果未入力")


def test_no_msgid_hides_inside_an_f_string():
    """makemessages cannot read a msgid inside an f-string's braces, so `--no-obsolete` drops its
    translation (it dropped "all" of the review rules' "Rep (all)" once)."""
    hidden = []
    for path in Path(settings.BASE_DIR).glob("[ak]*/**/*.py"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"""\bf["'].*\{\s*(_|gettext|pgettext|ngettext)\(""", line):
                hidden.append(f"{path.relative_to(settings.BASE_DIR)}:{number}")
    assert hidden == []


def test_the_review_rules_everyone_label_is_translated():
    with translation.override("ja"):
        assert _("all") == "全員"
