"""The claims ledger (report.claims) and the rules over it (report.rules).

Claims are made in memory; every rule is shown failing on the statement it forbids
and passing on the one it allows."""

from __future__ import annotations

import json

import pytest

from nsss_analysis.reference.i18n import set_language
from nsss_analysis.report import claims, coverage_text, notices, phrases, rules, wording


@pytest.fixture(autouse=True)
def english():
    set_language("en")
    yield
    set_language("en")


def test_outside_a_page_nothing_is_recorded_but_the_claim_is_returned():
    assert claims.current() is None
    c = claims.count(1234)
    assert str(c) == "1,234" and c.value == 1234 and claims.current() is None


def test_a_page_records_every_figure_the_printers_make_in_order():
    with claims.page("p") as ledger:
        text = wording.count_share(46, 100, 0.36, 0.56, noun="programmes")
        amount = wording.crore(1258.5)
    assert text == "46 of 100 programmes (46%, 95% interval 36%–56%)"
    assert [c.text for c in ledger.claims] == [text, amount]
    share = ledger.claims[0]
    assert (share.unit, share.numerator, share.denominator, share.n, share.low, share.high, share.method) == (
        "percent", 46, 100, 100, 0.36, 0.56, "wilson")
    assert claims.current() is None  # the page's ledger is closed with it


def test_a_count_under_five_is_recorded_as_a_count_not_a_percentage():
    with claims.page() as ledger:
        assert wording.count_share(1, 2, noun="programmes") == "1 of 2 programmes"
    assert ledger.claims[0].unit == "count" and (ledger.claims[0].numerator, ledger.claims[0].denominator) == (1, 2)


def test_scope_gives_its_context_to_the_claims_inside_and_a_claim_can_override_it():
    with claims.page() as ledger, claims.scope(block="headline", fiscal_year="2024-25", programmes=["A/x", "A/y"]):
        wording.percent(0.5)
        wording.crore(12.5, fiscal_year="2023-24")
    first, second = ledger.claims
    assert (first.block, first.fiscal_year, first.programmes) == ("headline", "2024-25", ("A/x", "A/y"))
    assert second.fiscal_year == "2023-24"


def test_the_same_figure_has_the_same_id_in_english_and_bangla_and_a_different_text():
    ids = {}
    for language in ("en", "bn"):
        set_language(language)
        with claims.page() as ledger:
            wording.count_share(46, 100, 0.36, 0.56, noun="programmes")
        ids[language] = ledger.claims[0]
    assert ids["en"].id == ids["bn"].id
    assert ids["en"].text != ids["bn"].text and "৪৬" in ids["bn"].text


def test_a_different_figure_has_a_different_id():
    assert claims.count(5).id != claims.count(6).id


def test_the_ledger_round_trips_through_its_json_file(tmp_path):
    with claims.page("mosw", "en"):
        wording.count_share(3, 10, 0.1, 0.6)
        path = tmp_path / "x.claims.json"
        assert claims.save(path) is None  # a notebook's last cell prints no path
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["page"] == "mosw" and len(data["claims"]) == 1
    back = claims.load(path)
    assert back.claims[0].as_dict() == data["claims"][0]
    assert "3 of 10" in claims.explain("30%", path) and "wilson" in claims.explain("30%", path)
    assert "no claim printed as" in claims.explain("99%", path)


def test_save_without_a_path_writes_nothing(tmp_path):
    with claims.page():
        assert claims.save(None) is None


def test_an_unknown_unit_or_field_is_refused():
    with pytest.raises(ValueError, match="unknown unit"):
        claims.figure(1, "parsecs", "1")
    with pytest.raises(TypeError, match="unknown field"):
        claims.figure(1, "count", "1", colour="red")


# --- the rules, each failing and passing ---------------------------------------------------


def _rules_of(violations):
    return {v.rule for v in violations}


def test_counted_once_fails_a_programme_twice_and_a_comparator_from_another_round():
    twice = claims.count(2, programmes=["M/a", "M/a"])
    once = claims.count(2, programmes=["M/a", "M/b"])
    assert _rules_of(rules.counted_once([twice])) == {"counted_once"}
    assert rules.counted_once([once]) == []
    unit = claims.plain_number(50, block="b", role="unit", round="2023-24")
    other = claims.plain_number(40, block="b", role="comparator", round="2018-19")
    same = claims.plain_number(40, block="b", role="comparator", round="2023-24")
    assert len(rules.counted_once([unit, other])) == 1
    assert rules.counted_once([unit, same]) == []


def test_one_year_one_round_fails_a_headline_that_mixes_years_or_names_a_partial_round():
    a = claims.crore(10, block="headline", fiscal_year="2024-25")
    b = claims.crore(5, block="headline", fiscal_year="2022-23")
    assert len(rules.one_year_one_round([a, b])) == 1
    assert rules.one_year_one_round([a, claims.crore(5, block="headline", fiscal_year="2024-25")]) == []
    assert rules.one_year_one_round([a, claims.crore(5, block="budget trend", fiscal_year="2022-23")]) == []
    partial = claims.figure("2023-24", "round", "2023-24", numerator=31, denominator=43)
    whole = claims.figure("2023-24", "round", "2023-24", numerator=43, denominator=43)
    assert len(rules.one_year_one_round([partial])) == 1 and rules.one_year_one_round([whole]) == []


def test_small_denominators_fail_a_percentage_of_four():
    assert len(rules.small_denominators([claims.percent(0.75, denominator=4)])) == 1
    assert rules.small_denominators([claims.percent(0.75, denominator=8)]) == []
    assert rules.small_denominators([claims.count(3, numerator=3, denominator=4)]) == []


def test_intervals_fail_zero_width_and_fewer_than_three():
    assert len(rules.intervals([claims.percent(1.0, low=1.0, high=1.0)])) == 1
    assert len(rules.intervals([claims.plain_number(50, unit="mean", n=2, low=20, high=80)])) == 1
    assert rules.intervals([claims.plain_number(50, unit="mean", n=3, low=20, high=80)]) == []


def test_comparisons_need_five_on_both_sides_and_intervals_that_do_not_overlap():
    def diff(n, low, high, n2, low2, high2):
        return claims.figure(None, "difference", "above", n=n, low=low, high=high, versus=(None, n2, low2, high2))

    assert len(rules.comparisons([diff(4, 0.6, 0.9, 40, 0.3, 0.5)])) == 1
    assert len(rules.comparisons([diff(8, 0.4, 0.9, 40, 0.3, 0.5)])) == 1
    assert len(rules.comparisons([diff(8, 0.6, 0.9, 40, None, None)])) == 1
    assert rules.comparisons([diff(8, 0.6, 0.9, 40, 0.3, 0.5)]) == []


def test_compare_units_records_a_stated_difference_the_rule_accepts():
    with claims.page() as ledger:
        verdict = phrases.compare_units((8, 60, 90), (40, 30, 50))
    assert verdict.startswith("above")
    assert ledger.claims[0].unit == "difference" and rules.comparisons(ledger.claims) == []


def test_synthetic_notice_only_when_the_tables_say_so():
    with claims.page() as ledger:
        notices.data_notice(True)
    assert len(rules.synthetic_notice(ledger.claims, synthetic=False)) == 1
    assert rules.synthetic_notice(ledger.claims, synthetic=True) == []
    plain = [claims.count(3)]
    assert len(rules.synthetic_notice(plain, synthetic=True)) == 1
    assert rules.synthetic_notice(plain, synthetic=False) == []


def test_lineage_counts_count_each_file_once_and_only_files_on_record():
    ok = claims.count(2, unit="files", sources=["a.xlsx", "b.xlsx"])
    twice = claims.count(3, unit="files", sources=["a.xlsx", "a.xlsx", "b.xlsx"])
    wrong = claims.count(3, unit="files", sources=["a.xlsx", "b.xlsx"])
    assert rules.lineage_counts([ok], {"a.xlsx", "b.xlsx"}) == []
    assert len(rules.lineage_counts([twice])) == 1 and len(rules.lineage_counts([wrong])) == 1
    assert len(rules.lineage_counts([ok], {"a.xlsx"})) == 1


def test_enforce_raises_in_strict_mode_and_logs_one_line_each_otherwise(caplog, monkeypatch):
    bad = rules.check([claims.percent(0.5, denominator=2)])
    monkeypatch.setenv(rules.STRICT_ENV, "strict")
    with pytest.raises(rules.ClaimRuleError, match="small_denominators"):
        rules.enforce(bad, page="p")
    monkeypatch.setenv(rules.STRICT_ENV, "")
    with caplog.at_level("WARNING", logger="nsss.claims"):
        rules.enforce(bad, page="p")
    assert len(caplog.records) == 1 and "\n" not in caplog.records[0].getMessage()


def test_verdicts_record_the_rules_each_claim_passed():
    ledger = claims.Ledger(claims=[claims.percent(0.5, denominator=2), claims.count(3)])
    rules.verdicts(ledger, rules.check(ledger.claims))
    assert "small_denominators" not in ledger.claims[0].rules
    assert set(ledger.claims[1].rules) == set(rules.RULES)


def test_nsss_explain_prints_the_derivation_from_the_claims_file(tmp_path, capsys):
    from nsss_analysis.cli import main

    folder = tmp_path / "2024-25"
    folder.mkdir()
    with claims.page("2024-25/mosw-ministry-of-social-welfare") as ledger:
        wording.count_share(6, 9, 0.35, 0.88, programmes=[f"MoSW/p{i}" for i in range(9)])
    (folder / "mosw-ministry-of-social-welfare.claims.json").write_text(ledger.to_json(), encoding="utf-8")
    assert main(["explain", "mosw", "67%", "--reports", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "6 of 9" in out and "wilson" in out and "MoSW/p8" in out
    assert main(["explain", "mosw", "12%", "--reports", str(tmp_path)]) == 1
    assert main(["explain", "mowca", "67%", "--reports", str(tmp_path)]) == 2


def test_naming_a_lowest_and_highest_band_is_a_difference_the_rule_checks():
    import pandas as pd

    close = pd.DataFrame({"age_band": ["18-35", "60+"], "women_share": [0.99, 1.0], "total": [404, 343]})
    apart = pd.DataFrame({"age_band": ["18-35", "60+"], "women_share": [0.30, 0.80], "total": [400, 300]})
    with claims.page() as ledger:
        said = coverage_text._range_sentence(close, "age_band")
    # 99% of 404 against 100% of 343: the intervals overlap, so no lowest or highest is named
    assert said is None and rules.comparisons(ledger.claims) == []
    with claims.page() as ledger:
        said = coverage_text._range_sentence(apart, "age_band")
    assert "lowest" in said and rules.comparisons(ledger.claims) == []
    # the rule still catches a stated difference whose intervals overlap
    with claims.page() as ledger:
        claims.figure(None, "difference", "lowest in 18-35, highest in 60+", n=404, low=0.97, high=0.995,
                      versus=(None, 343, 0.99, 1.0), method="wilson", where="test")
    assert _rules_of(rules.comparisons(ledger.claims)) == {"comparisons"}


def test_the_runner_fails_a_page_that_breaks_a_rule_in_strict_mode_and_logs_it_otherwise(tmp_path, monkeypatch):
    from nsss_analysis.runner.claims_file import claims_path, collect_claims, staged_path

    def stage() -> None:
        with claims.page("2024-25/x") as ledger:
            wording.percent(0.75, denominator=4)  # "75%" of 4 people
        staged_path(tmp_path, "x").write_text(ledger.to_json(), encoding="utf-8")

    stage()
    monkeypatch.setenv(rules.STRICT_ENV, "strict")
    error = collect_claims(tmp_path, "x", {"synthetic": None})
    assert error and "small_denominators" in error and "\n" not in error
    assert claims_path(tmp_path, "x").exists() and not staged_path(tmp_path, "x").exists()
    stage()
    monkeypatch.setenv(rules.STRICT_ENV, "")
    warnings = []
    monkeypatch.setattr("nsss_analysis.runner.claims_file.log.warning", lambda line: warnings.append(line))
    assert collect_claims(tmp_path, "x", {"synthetic": None}) is None
    assert len(warnings) == 1 and "small_denominators" in warnings[0]
    written = claims.load(claims_path(tmp_path, "x"))
    assert "small_denominators" not in written.claims[0].rules
    assert "no claims ledger" in collect_claims(tmp_path, "missing", {})


def test_a_rendered_page_whose_ledger_breaks_a_rule_is_recorded_failed(tmp_path, monkeypatch):
    from types import SimpleNamespace

    from nsss_analysis import config
    from nsss_analysis.runner.claims_file import staged_path
    from nsss_analysis.runner.pool import ReportResult
    from nsss_analysis.runner.render import _check_claims

    with claims.page("2024-25/x") as ledger:
        wording.percent(0.75, denominator=4)  # "75%" of 4 people
    staged_path(tmp_path, "x").write_text(ledger.to_json(), encoding="utf-8")
    monkeypatch.setenv(rules.STRICT_ENV, "strict")
    page = SimpleNamespace(key="x", notebook=config.NOTEBOOKS_DIR / "ministry_report.ipynb")
    result = ReportResult("x", "ok", 1.0)
    _check_claims(result, page, tmp_path, {"synthetic": None})
    assert result.status == "failed" and "small_denominators" in result.error
    crashed = ReportResult("x", "failed", 1.0, "the kernel died")  # its own error stands; no ledger asked for
    _check_claims(crashed, page, tmp_path, {"synthetic": None})
    assert (crashed.status, crashed.error) == ("failed", "the kernel died")


def test_only_templates_that_declare_claims_path_are_asked_for_a_ledger(tmp_path):
    import nbformat

    from nsss_analysis import config
    from nsss_analysis.runner.claims_file import keeps_claims

    for name in ("ministry_report", "national_overview", "cluster_report"):
        assert keeps_claims(config.NOTEBOOKS_DIR / f"{name}.ipynb"), name
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell('fiscal_year = None\nlanguage = "en"')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell("print(1)")]
    nbformat.write(nb, tmp_path / "plan.ipynb")
    assert not keeps_claims(tmp_path / "plan.ipynb")  # e.g. a stand-in, or a page with no figures ledger
