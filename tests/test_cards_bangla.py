"""The programme cards, first screen, actions, level rule, downloads block and the two
workbooks in Bangla: no English phrase except names and text from the forms, Bangla
digits; the English words stay those stored in the tables."""

from __future__ import annotations

import itertools
import re

import openpyxl
import pytest
from bs4 import BeautifulSoup

from nsss_analysis.diagnostics import scoring
from nsss_analysis.diagnostics.recommendations import (
    ACTIONS,
    GAP_ANSWERS,
    ITEM_FOLLOWUP,
    _reason,
    action_in_words,
    action_reason_in_words,
    recommendations,
)
from nsss_analysis.diagnostics.summaries import count_once
from nsss_analysis.io import load_tables
from nsss_analysis.reference.clusters import cluster_reach
from nsss_analysis.reference.i18n import english_runs, forget_language, set_language, translator
from nsss_analysis.reference.vocab import ANSWERS, FOLLOWUP_ANSWERS, ITEMS, load_reference
from nsss_analysis.report import card_parts, card_quality, cards, cluster_page, comparison, level_rule, page_top
from nsss_analysis.report.action_plan import ACTION_PLAN_COLUMNS, action_plan, plan_in_words
from nsss_analysis.report.downloads import (
    DATA_SHEETS,
    downloads_plan,
    links_html,
    ministry_rows,
    table_in_words,
    write_downloads,
)
from nsss_analysis.report.method_note import TECHNICAL_NAMES

BN, EN = translator("bn"), translator("en")
LATIN_DIGIT = re.compile(r"[0-9]")


@pytest.fixture(scope="module")
def tables(bundled):
    return load_tables(bundled)


@pytest.fixture
def bangla():
    set_language("bn")
    yield
    forget_language()


def _form_text(tables) -> set[str]:
    """Names and text taken from the forms (allowed on a Bangla page)."""
    a = tables.assessments
    allowed = {m.name for m in load_reference().ministries} | {m.code for m in load_reference().ministries}
    for column in ("programme", "ministry", "source_file", "source_sheet", "remarks"):
        allowed |= set(a[column].dropna().astype(str))
    for column in ("partner_agencies", "target_groups_other"):
        for value in a[column].dropna():
            allowed |= {value} if isinstance(value, str) else {str(v) for v in value}
    q = tables.quarantine
    allowed |= set(q["value"].dropna().astype(str)) | set(q["reason"].dropna().astype(str))
    allowed |= set(q["source_file"].astype(str)) | set(q["source_sheet"].dropna().astype(str))
    if tables.conflicts is not None:
        allowed |= set(tables.conflicts["source_file"].astype(str))
    if tables.budgets is not None:
        allowed |= set(tables.budgets["source_file"].astype(str)) | set(tables.budgets["source_sheet"].astype(str))
    return {a for a in allowed if a}


def _without(text: str, allowed: set[str]) -> str:
    for name in sorted(allowed, key=len, reverse=True):
        text = text.replace(name, " ")
    return text


# --- the level rule -------------------------------------------------------------------
def _answer_sets():
    """Every answer to the items that decide the level, the others no."""
    deciding = ("empowerment_objective", "empowerment_actions", "norms_awareness", "social_capital",
                "skills_training", "sex_disaggregated_data")
    for combo in itertools.product(("yes", "partly", "no"), repeat=len(deciding)):
        yield dict.fromkeys(ITEMS, "no") | dict(zip(deciding, combo, strict=True))


def test_the_stored_rule_reads_back_into_the_same_parts():
    for answers in _answer_sets():
        for target, stage in ((False, False), (True, False), (True, True)):
            level, parts = scoring.level_parts(answers, 1.0, target, stage)
            rule = scoring.rule_in_english(level, parts)
            assert scoring._level(answers, 1.0, target, stage) == (level, rule)
            assert scoring.rule_parts(level, rule) == parts
            # English: the stored words, the stage code said in words
            english = level_rule.level_rule_in_words(level, rule, EN)
            assert english == rule.replace("women_working_age a life-cycle stage",
                                           "vulnerable women of working age a life-cycle stage")
            assert "women_working_age" not in english
    level, parts = scoring.level_parts(dict.fromkeys(ITEMS, "unknown") | {"graduation": "no"}, 0.1, False, False)
    rule = scoring.rule_in_english(level, parts)
    assert rule == "completeness 0.10 < 0.5" and scoring.rule_parts(level, rule)[0].value == pytest.approx(0.1)


def test_the_blind_rule_words_are_the_stored_ones():
    assert level_rule.RULE_WORDS["blind"] == scoring.BLIND_RULE


def test_level_rule_in_bangla_names_items_answers_and_digits():
    rule = "women a target group; women_working_age a life-cycle stage; empowerment objective yes"
    assert level_rule.level_rule_in_words("gender-specific", rule, BN) == (
        "নারী একটি লক্ষ্যগোষ্ঠী; কর্মক্ষম বয়সের ঝুঁকিপূর্ণ নারী জীবনচক্রের একটি পর্যায় হিসেবে উল্লিখিত; "
        "ক্ষমতায়নের উদ্দেশ্য: হ্যাঁ")
    assert level_rule.level_rule_in_words("insufficient data", "completeness 0.40 < 0.5", BN) == \
        "সম্পূর্ণতা ০.৪০ < ০.৫"  # the glossary term
    transformative = "empowerment objective yes + norms awareness yes + skills training yes"
    assert level_rule.level_rule_in_words("gender-transformative", transformative, BN).count(" + ") == 2
    for answers in _answer_sets():
        level, parts = scoring.level_parts(answers, 1.0, False, False)
        words = level_rule.level_rule_in_words(level, parts, BN)
        assert not english_runs(words, min_words=1) and not LATIN_DIGIT.search(words)
    # a rule another version wrote is shown as it is
    assert level_rule.level_rule_in_words("gender-specific", "some older wording", BN) == "some older wording"


# --- actions and reasons ----------------------------------------------------------------
def test_every_action_reads_in_bangla_and_stays_the_guideline_words_in_english():
    for item, action in ACTIONS.items():
        assert action_in_words(item, EN) == action
        bangla = action_in_words(item, BN)
        assert bangla != action and bangla.endswith("।") and not english_runs(bangla, min_words=1)
    assert BN(ACTIONS["sex_disaggregated_data"]) == "লিঙ্গ-বিভাজিত তথ্য সংগ্রহ করা।"


def test_every_reason_reads_in_bangla_and_english_is_the_stored_reason():
    for item in ITEMS:
        followup = ITEM_FOLLOWUP.get(item)
        for answer in GAP_ANSWERS:
            for followup_answer in (FOLLOWUP_ANSWERS if followup else (None,)):
                english = action_reason_in_words(item, answer, followup, followup_answer, EN)
                assert english == _reason(item, answer, followup, followup_answer)
                bangla = action_reason_in_words(item, answer, followup, followup_answer, BN)
                assert not english_runs(bangla, min_words=1), bangla
    assert action_reason_in_words("graduation", "no", "graduation_possible", "yes", BN) == (
        "উত্তরণের পরিকল্পনা বিষয়ে উত্তর ‘না’; মন্ত্রণালয়ের মতে সম্ভব "
        "(“না হলে, উত্তরণের পরিকল্পনা করা যায় কি?” প্রশ্নের উত্তর: হ্যাঁ)")


def test_the_stored_recommendations_keep_english(tables):
    recs = recommendations(tables.assessments, tables.scores, tables.budgets)
    assert set(recs["action"]) <= set(ACTIONS.values())
    assert recs["reason"].str.contains("answered|left unknown").all()
    assert ANSWERS  # the vocabulary the reasons quote


# --- the card, first screen and downloads block ------------------------------------------
@pytest.mark.slow  # the first screen and cards of every ministry
def test_bangla_cards_first_screen_and_downloads_have_no_english_phrase(tables, bangla):
    allowed = _form_text(tables)
    current = count_once(tables).current.assessments
    checked = 0
    for code in sorted(set(current["ministry_code"])):
        own = current[current["ministry_code"] == code]
        scores = tables.scores[tables.scores["ministry_code"] == code]
        plan = downloads_plan(tables, [code])
        ids = set(plan["action_id"])  # identifiers, printed the same in every language
        markup = (page_top.first_screen_html(code, scores, own, plan) + cards.programme_cards_html(tables, own, plan)
                  + links_html("slug") + links_html(None)
                  + f"<p>{comparison.national_in_counts(tables.scores, scores, code)}</p>")
        text = BeautifulSoup(markup, "html.parser").get_text("\n")
        assert not english_runs(text, allowed | ids | {"slug-action-plan.xlsx", "slug-data.xlsx", "nsss reports"}), code
        assert not LATIN_DIGIT.search(_without(text, allowed | ids | {"slug-action-plan.xlsx", "slug-data.xlsx"})), code
        assert "কারণ:" in text  # the card's "why" in Bangla
        checked += 1
    assert checked >= 5


def test_bangla_quality_notes_frame_the_form_text(tables, bangla):
    row = next(r for r in tables.assessments.to_dict("records")
               if any(not isinstance(r[i], str) or r[i] == "unknown" for i in ITEMS))
    notes = card_quality.quality_notes(row, tables)
    assert any(re.search(r"^[০-৯]+টি বিষয়ের উত্তর জানা নেই: ", n) for n in notes)
    q = tables.quarantine[tables.quarantine["column"].fillna("") != ""].iloc[0]
    row = next(r for r in tables.assessments.to_dict("records")
               if r["source_file"] == q["source_file"] and r["source_row"] == q["source_row"])
    note = next(n for n in card_quality.quality_notes(row, tables) if "' কলামের মান “" in n)
    assert note.startswith("'") and f"কলামের মান “{q['value']}” ব্যবহার করা হয়নি: " in note  # the column, named


def test_budget_flag_in_bangla(bangla):
    assert card_quality.flag_in_words("scale:1") == "প্রায় ১০ গুণ"
    assert card_quality.flag_in_words("scale:-2") == "প্রায় ১/১০০ গুণ"
    assert card_quality.flag_in_words("ratio:0.02") == "অনুপাত ০.০২: যাচাই প্রয়োজন"
    forget_language()
    assert card_quality.flag_in_words("scale:1") == "about 10x"


# --- the workbooks ----------------------------------------------------------------------
def _rows(path):
    wb = openpyxl.load_workbook(path)
    return {ws.title: (list(ws.iter_rows(values_only=True)), ws) for ws in wb.worksheets}


def test_bangla_workbooks_have_bangla_titles_headers_and_words(tables, tmp_path):
    allowed = _form_text(tables)
    data, plan_file = write_downloads(tables, "MoSW", tmp_path, "mosw", "সমাজকল্যাণ মন্ত্রণালয়", language="bn")
    sheets = _rows(plan_file)
    assert list(sheets) == ["কর্মপরিকল্পনা", "ব্যাখ্যা", "nsss_plan"]  # the last one hidden, for the reader
    rows, ws = sheets["কর্মপরিকল্পনা"]
    assert rows[0] == tuple(BN(h) for h in ACTION_PLAN_COLUMNS.values())
    ids = {r[0] for r in rows[1:]}  # the stable ids: the same in every language
    for row in rows:
        for value in row:
            if isinstance(value, str):
                assert not english_runs(value, allowed | ids), value
    body = [dict(zip(ACTION_PLAN_COLUMNS, r, strict=True)) for r in rows[1:]]
    assert {r["answer"] for r in body} <= {"না", "আংশিক", "জানা নেই"}
    assert {r["action"] for r in body} <= {BN(a) for a in ACTIONS.values()}
    assert {r["lead_ministry"] for r in body} == {"সমাজকল্যাণ মন্ত্রণালয়"}  # the register's Bangla name
    assert all("সারি " in r["source"] and not LATIN_DIGIT.search(r["source"].rsplit("সারি ", 1)[1]) for r in body)
    status = next(d for d in ws.data_validations.dataValidation if d.type == "list")
    assert status.formula1 == '"শুরু হয়নি,চলমান,সম্পন্ন,বাদ দেওয়া হয়েছে"'
    about = [r[0] for r in sheets["ব্যাখ্যা"][0]]
    assert about[0] == "সমাজকল্যাণ মন্ত্রণালয়" and not any(english_runs(line) for line in about)

    data_sheets = _rows(data)
    assert list(data_sheets) == [BN(s) for s in DATA_SHEETS]
    for title, (rows, _ws) in data_sheets.items():
        assert not any(english_runs(str(h), TECHNICAL_NAMES) for h in rows[0]), title
    scores = data_sheets["স্কোর"][0]
    header = list(scores[0])
    levels = {r[header.index(BN("Level (WHO GRAS)"))] for r in scores[1:]}
    assert levels <= {BN(lv) for lv in ("gender-blind", "gender-sensitive", "gender-specific",
                                         "gender-transformative", "insufficient data")}
    rules = [r[header.index("কেন এই স্তর")] for r in scores[1:]]
    assert rules and not any(english_runs(r, min_words=1) for r in rules)
    assessments = data_sheets["মূল্যায়ন"][0]
    header = list(assessments[0])
    answers = {r[header.index(BN("Graduation planned?"))] for r in assessments[1:]}
    assert answers <= {BN(a) for a in ("yes", "partly", "no", "not applicable", "unknown")} | {None}
    programmes = {r[header.index("কর্মসূচি")] for r in assessments[1:]}
    # each programme by its Bangla name where the catalogue has one, else as the form wrote it
    from nsss_analysis.reference.names import display_name

    written = set(ministry_rows(tables, "MoSW")["Assessments"]["programme"])
    assert programmes == {display_name("programme", p, "bn") for p in written}
    assert "বয়স্ক ভাতা" in programmes and "Old Age Allowance" not in programmes
    ministries = {r[header.index("মন্ত্রণালয়/বিভাগ")] for r in assessments[1:]}
    assert ministries == {"সমাজকল্যাণ মন্ত্রণালয়"}
    # fiscal years and dates as on the page (Bangla digits, DD-MM-YYYY) in every visible text cell of
    # both workbooks but file names and the values quoted as the form wrote them
    as_written = {BN("Value (as written)"), BN("Source file")}
    for path in (plan_file, data):
        for title, (rows, ws) in _rows(path).items():
            if ws.sheet_state != "visible" or not rows:
                continue
            for row in rows[1:]:
                for head, value in zip(rows[0], row, strict=False):
                    if isinstance(value, str) and head not in as_written:
                        text = re.sub(r"\S+\.(?:xlsx|xls|csv|parquet)\b", "", value)
                        assert not re.search(r"\b(?:19|20)\d\d-\d\d\b", text), (path.name, title, value)
    reasons = data_sheets[BN("Quarantine")][0]
    column = list(reasons[0]).index(BN("Reason"))
    assert len(reasons) > 1 and all(re.search(r"[\u0980-\u09ff]", r[column]) for r in reasons[1:])


def test_english_workbooks_are_headed_in_words_and_the_plan_is_unchanged(tables, tmp_path):
    data, plan_file = write_downloads(tables, "MoSW", tmp_path, "mosw", "Title", language="en")
    sheets = _rows(plan_file)
    assert list(sheets) == ["Action plan", "About", "nsss_plan"]
    assert sheets["Action plan"][0][0] == tuple(ACTION_PLAN_COLUMNS.values())
    data_sheets = _rows(data)
    assert list(data_sheets) == list(DATA_SHEETS)
    frames = ministry_rows(tables, "MoSW")
    for name, frame in frames.items():
        header = list(data_sheets[name][0][0])
        # the headers a reader sees are words (as in Bangla), one per column, none a table's code
        assert header == list(table_in_words(frame, EN).columns) and len(header) == len(frame.columns) - (
            2 if {"reason_id", "reason_values"} <= set(frame.columns) else 0)
        assert not [h for h in header if h in frame.columns and "_" in h], header
    assets = data_sheets["Assessments"][0][0]
    assert "Source file" in assets and "source_file" not in assets
    plan = action_plan(tables.assessments, tables.recommendations)
    assert plan_in_words(plan, EN) is plan


def test_a_card_is_titled_with_the_published_bangla_name_alone(tables, bangla):
    current = count_once(tables).current.assessments
    own = current[current["ministry_code"] == "MoSW"]
    markup = cards.programme_cards_html(tables, own, downloads_plan(tables, ["MoSW"]))
    assert "<h3>বয়স্ক ভাতা</h3>" in markup and "Old Age Allowance" not in markup
    assert "স্থানীয় সরকার বিভাগ, ইউনিয়ন পরিষদ এবং এটুআই" in markup  # supporting agencies in Bangla
    assert card_parts.programme_name("MoSW", "A programme not on record") == "A programme not on record"
    forget_language()
    assert card_parts.programme_name("MoSW", "Old Age Allowance") == "Old Age Allowance"


def test_every_cluster_reach_source_is_marked_for_translation():
    sources = {reach.source for reach in cluster_reach().values()}
    assert sources and sources <= set(cluster_page.REACH_SOURCES)
    assert all(BN(s) != s and not english_runs(BN(s), ["NSSS"]) for s in sources)
