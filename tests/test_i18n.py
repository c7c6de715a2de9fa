"""Reports and the form in Bangla: the message catalogue is complete, compiled and
current; the translator picks the language from a parameter or NSSS_LANGUAGE; the
vocabulary's Bangla words tell its values apart."""

from __future__ import annotations

import gettext
import io

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from nsss_analysis.config import PROJECT_ROOT
from nsss_analysis.errors import UsageError
from nsss_analysis.reference import glossary, i18n
from nsss_analysis.reference.i18n import (
    DOMAIN,
    LANGUAGE_VARIABLE,
    LOCALE_DIR,
    english_runs,
    languages,
    resolve_language,
    set_language,
    translator,
    untranslated,
)
from nsss_analysis.reference.i18n import _ as current_gettext
from nsss_analysis.report.method_note import TECHNICAL_NAMES as METHOD_NOTE_NAMES

PO = LOCALE_DIR / "bn" / "LC_MESSAGES" / f"{DOMAIN}.po"
MO = PO.with_suffix(".mo")
POT = LOCALE_DIR / f"{DOMAIN}.pot"


def _catalogue(path):
    with open(path, "rb") as f:
        return read_po(f)


def _ids(catalogue) -> set[str]:
    return {m.id if isinstance(m.id, str) else m.id[0] for m in catalogue if m.id}


def test_every_message_id_has_a_bangla_translation():
    template = _ids(_catalogue(POT))
    bangla = _catalogue(PO)
    assert template <= _ids(bangla), f"not in the Bangla catalogue (run make i18n): {template - _ids(bangla)}"
    assert untranslated("bn") == [], "untranslated or fuzzy message ids in nsss.po"


def test_the_template_holds_every_marked_string_in_the_code(tmp_path):
    """``make i18n`` was run after the last marked string was added: extracting now
    finds no message id that the committed nsss.pot lacks."""
    fresh = tmp_path / "fresh.pot"
    CommandLineInterface().run([
        "pybabel", "-q", "extract", "-F", str(PROJECT_ROOT / "babel.cfg"),
        "-k", "N_", "-k", "Nn_:1,2", "-k", "ngettext:1,2", "-k", "pgettext:1c,2", "--no-location",
        "-o", str(fresh), str(PROJECT_ROOT / "nsss_analysis"),
    ])
    missing = _ids(_catalogue(fresh)) - _ids(_catalogue(POT))
    assert not missing, f"message ids not extracted into nsss.pot (run make i18n): {sorted(missing)[:10]}"


def test_the_compiled_catalogue_matches_the_po_file():
    compiled = io.BytesIO()
    write_mo(compiled, _catalogue(PO))
    committed = gettext.GNUTranslations(io.BytesIO(MO.read_bytes()))
    fresh = gettext.GNUTranslations(io.BytesIO(compiled.getvalue()))
    assert committed._catalog == fresh._catalog, "nsss.mo is stale: run make i18n"


def test_bangla_plural_forms_header():
    assert _catalogue(PO).plural_forms == "nplurals=2; plural=(n != 1);"
    t = translator("bn")
    assert t.ngettext("{n} programme", "{n} programmes", 1).format(n="১") == "১টি কর্মসূচি"
    assert t.ngettext("{n} programme", "{n} programmes", 5).format(n="৫") == "৫টি কর্মসূচি"
    assert translator("en").ngettext("{n} programme", "{n} programmes", 5) == "{n} programmes"


def test_translator_from_parameter_or_environment(monkeypatch):
    monkeypatch.delenv(LANGUAGE_VARIABLE, raising=False)
    assert translator().language == "en"
    assert translator()("Programme") == "Programme"
    assert translator("bn")("Programme") == "কর্মসূচি"
    monkeypatch.setenv(LANGUAGE_VARIABLE, "bn")
    assert translator().language == "bn"
    assert translator("en")("Fiscal year") == "Fiscal year"  # the parameter wins
    assert languages() == ("bn",)
    monkeypatch.setenv(LANGUAGE_VARIABLE, "all")
    assert languages() == ("en", "bn")
    assert languages("en") == ("en",) and languages("all") == ("en", "bn")


def test_set_language_switches_the_module_gettext(monkeypatch):
    monkeypatch.delenv(LANGUAGE_VARIABLE, raising=False)
    try:
        set_language("bn")
        assert current_gettext("Fiscal year") == "অর্থবছর"
        set_language("en")
        assert current_gettext("Fiscal year") == "Fiscal year"
    finally:
        set_language(None)


def test_language_is_a_context_that_ends_with_its_block(monkeypatch):
    monkeypatch.delenv(LANGUAGE_VARIABLE, raising=False)
    with i18n.language("bn") as t:
        assert t.language == "bn" and current_gettext("Fiscal year") == "অর্থবছর"
        with i18n.language("en"):
            assert current_gettext("Fiscal year") == "Fiscal year"
        assert current_gettext("Fiscal year") == "অর্থবছর"
    assert i18n.current().language == "en"
    with pytest.raises(RuntimeError), i18n.language("bn"):
        raise RuntimeError("the previous language comes back on an error too")
    assert current_gettext("Fiscal year") == "Fiscal year"


def test_each_thread_keeps_its_own_language(monkeypatch):
    import threading

    monkeypatch.delenv(LANGUAGE_VARIABLE, raising=False)
    seen: dict[str, str] = {}
    inside, done = threading.Event(), threading.Event()

    def bangla() -> None:
        with i18n.language("bn"):
            inside.set()
            done.wait(timeout=60)  # a ceiling only: the main thread sets it at once
            seen["thread"] = current_gettext("Fiscal year")

    worker = threading.Thread(target=bangla)
    worker.start()
    assert inside.wait(timeout=60)
    seen["main"] = current_gettext("Fiscal year")
    done.set()
    worker.join()
    assert seen == {"thread": "অর্থবছর", "main": "Fiscal year"}


@pytest.mark.parametrize("bad", ["fr", "bengali!", "xx"])
def test_an_unsupported_language_is_a_one_line_usage_error(bad):
    with pytest.raises(UsageError, match="not supported; choose one of en, bn"):
        resolve_language(bad)


@pytest.mark.parametrize("spelling", ["bn", "BN", "bn_BD", "bn-BD"])
def test_locale_spellings_of_bangla(spelling):
    assert resolve_language(spelling) == "bn"


@pytest.mark.parametrize(
    "names",
    [
        glossary.LEVEL_NAMES,
        glossary.LEVEL_GLOSSES,
        glossary.ITEM_NAMES,
        glossary.ANSWER_NAMES,
        glossary.FORM_ANSWER_NAMES,
        glossary.CLUSTER_NAMES,
        glossary.STAGE_NAMES,
        glossary.TARGET_GROUP_NAMES,
        glossary.DOMAIN_NAMES,
    ],
    ids=lambda d: next(iter(d)),
)
def test_the_vocabularys_bangla_words_are_bangla_and_tell_values_apart(names):
    _ = translator("bn")
    words = [_(english) for english in names.values()]
    assert len(set(words)) == len(words), "two values share a Bangla word"
    for english, word in zip(names.values(), words):
        assert word != english and any("\u0980" <= ch <= "\u09ff" for ch in word), english


def test_level_names_in_government_style():
    _ = translator("bn")
    assert _("gender-transformative") == "জেন্ডার-রূপান্তরমূলক"
    assert _("Sex-disaggregated data") == "লিঙ্গ-বিভাজিত তথ্য"
    assert _("Women's and girls' empowerment") == "নারী ও কন্যাশিশুর ক্ষমতায়ন"
    assert _("Target group") == "লক্ষ্যগোষ্ঠী" and _("Fiscal year") == "অর্থবছর"


@pytest.mark.parametrize(
    ("text", "allowed", "runs"),
    [
        ("সমাজকল্যাণ মন্ত্রণালয়ের ৯টি কর্মসূচি", (), []),
        ("কর্মসূচি: Old Age Allowance", ("Old Age Allowance",), []),
        ("কর্মসূচি: Old Age Allowance", (), ["Old Age Allowance"]),
        ("MoSW-এর ৪৬% কর্মসূচি (NSSS)", (), []),  # a single code is not a sentence
        ("৩টি কর্মসূচি gender-blind; the rest are sensitive", (), ["gender-blind; the rest are sensitive"]),
        ("Programme VGF (Jatka) বরাদ্দ", ("VGF for Jatka (Hilsa) Fishers",), ["Programme VGF (Jatka"]),
    ],
)
def test_english_runs_find_english_phrases_left_in_bangla_text(text, allowed, runs):
    assert english_runs(text, allowed) == runs


def test_the_bangla_catalogue_has_no_english_phrase_outside_placeholders_and_sheet_names():
    allowed = ("Programmes", "Budget", "Instructions", "YYYY-YY", "N", "ODK Central", *METHOD_NOTE_NAMES)
    bangla = [m.string for m in _catalogue(PO) if m.id and isinstance(m.string, str)]
    leftovers = {t: english_runs(t, allowed) for t in bangla}
    assert not {t: r for t, r in leftovers.items() if r}


def test_every_translation_keeps_the_placeholders_of_its_message_id(tmp_path):
    from tools.compile_catalogue import placeholder_errors

    assert placeholder_errors(PO) == []
    bad = tmp_path / "bad.po"
    bad.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
                   'msgid "95% interval {low}–{high}"\nmsgstr "৯৫% ব্যবধান {low}–{উচ্চ}"\n', encoding="utf-8")
    (error,) = placeholder_errors(bad)
    assert "bad.po:5" in error and "'high'" in error
