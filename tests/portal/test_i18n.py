"""The Simplified Chinese catalogue: complete, not fuzzy, and its compiled .mo matches the .po.

zh-hans is the default language, so an untranslated string shows English to every Chinese user, and a .po edited
without recompiling changes nothing on screen. Rebuild with `django-admin makemessages -l zh_Hans …` and
`django-admin compilemessages` (see the header of django.po).
"""

import gettext
import re
from pathlib import Path

import polib
import pytest
from django.utils import translation

LOCALE = Path(__file__).resolve().parents[2] / "ftzsafety" / "locale" / "zh_Hans" / "LC_MESSAGES"
PO = LOCALE / "django.po"
MO = LOCALE / "django.mo"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]")


@pytest.fixture(scope="module")
def po() -> polib.POFile:
    return polib.pofile(str(PO))


def test_every_message_is_translated(po):
    assert len(po) > 100
    assert not po.metadata_is_fuzzy
    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    assert not untranslated, f"untranslated: {untranslated}"
    assert not [entry.msgid for entry in po.fuzzy_entries()], "fuzzy entries"
    assert not [entry.msgid for entry in po.obsolete_entries()], "obsolete entries"


def test_translations_keep_their_placeholders(po):
    for entry in po:
        expected = set(PLACEHOLDER.findall(entry.msgid))
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for text in translations:
            assert set(PLACEHOLDER.findall(text)) == expected, entry.msgid


def test_compiled_catalogue_matches_the_po(po):
    """Read the .mo with the standard library (as Django does) and compare every message with the .po, so the
    check does not depend on which compiler produced the file."""
    assert MO.exists(), "django.mo is missing: run django-admin compilemessages"
    with MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for entry in po:
        if entry.msgid_plural:
            for n, text in entry.msgstr_plural.items():
                if compiled.ngettext(entry.msgid, entry.msgid_plural, int(n) + 1) != text:
                    stale.append(entry.msgid)
        elif compiled.gettext(entry.msgid) != entry.msgstr:
            stale.append(entry.msgid)
    assert not stale, f"django.mo is older than django.po (run compilemessages); differing: {stale[:10]}"
    # Nothing in the .mo that the .po no longer has.
    mo_ids = {e.msgid for e in polib.mofile(str(MO)) if e.msgid}
    assert mo_ids == {e.msgid for e in po}, "django.mo holds messages that django.po does not"


def test_the_catalogue_is_used():
    with translation.override("zh-hans"):
        assert translation.gettext("Home") == "首页"
        assert translation.gettext("Unified social credit code") == "统一社会信用代码"
    with translation.override("en"):
        assert translation.gettext("Home") == "Home"
