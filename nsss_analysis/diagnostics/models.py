"""Models of the national overview (docs/method.md, section 9), with their guards.

- :func:`gender_specific_model`: a logistic model (statsmodels GLM, binomial family)
  of "gender-specific or gender-transformative" on NSSS cluster and log10 budget.
- :func:`inclusion_score_model`: OLS of the inclusion score on the same terms (OLS
  rather than an ordinal model: the score is near-continuous, 0-100, and a mean
  difference in points is what a reader can use), with HC3 heteroskedasticity-robust
  intervals, since bounded scores vary less near 0 and 100.
- figures per assessment round, once two or more exist, are
  :func:`~nsss_analysis.diagnostics.trends.trend_by_round` (a module of their own).

Both models use each programme's budget in its latest fiscal year with a known,
positive budget, as ``log10`` so a coefficient reads "per tenfold budget". Programmes
without a cluster, a budget or (logit) a level other than ``insufficient data`` are
left out, and the message says how many. The reference cluster is the one with the
most programmes (ties: NSSS order), so contrasts rest on the largest group.

Guards, each giving a message and no coefficients, rather than a misleading number:
fewer than ``MODEL_MIN_N`` (30) programmes; an outcome that does not vary; a cluster
whose programmes are all or none gender-specific (separation: its odds ratio would be
infinite); statsmodels reporting perfect separation or non-convergence; a standard
error above ``MODEL_MAX_LOGIT_SE``; terms that cannot be separated (rank deficiency).
An association across programmes is not an effect of budget or cluster, and every
reading says so.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from nsss_analysis.diagnostics.budgets import programme_budgets
from nsss_analysis.diagnostics.rubric import (
    CONFIDENCE_ALPHA,
    GENDER_SPECIFIC_OR_TRANSFORMATIVE,
    INSUFFICIENT,
    MODEL_MAX_LOGIT_SE,
    MODEL_MIN_CATEGORY,
    MODEL_MIN_N,
    MODEL_MIN_PER_PARAMETER,
)
from nsss_analysis.diagnostics.units import programme_key
from nsss_analysis.reference.i18n import N_
from nsss_analysis.reference.vocab import CLUSTERS

BUDGET_TERM = "log10 budget (crore)"


CAVEAT = N_("This is an association across programmes, not an effect of cluster or budget.")


COEFFICIENT_COLUMNS = ("term", "estimate", "std_error", "ci_low", "ci_high", "p_value")


ODDS_COLUMNS = ("odds_ratio", "odds_ratio_ci_low", "odds_ratio_ci_high")


@dataclass(frozen=True)
class Words:
    """One sentence (or clause) of a model's reading as a message id, marked with
    ``N_``, and its values, so a report can write the reading in its own language.

    A value is the English text of a number (as the English reading writes it), a
    cluster's name (keys ``cluster`` and ``reference``), a nested :class:`Words`, or a
    list of them; ``""`` for an absent clause. The English reading is built from the
    same words (``tests/test_models.py`` checks that the two agree)."""

    message: str
    values: dict = field(default_factory=dict)


@dataclass(frozen=True)
class ModelResult:
    """A fitted model, or the reason there is none.

    ``coefficients`` is empty when ``ok`` is False; ``reading`` is plain language
    (the message itself when there is no model).
    """

    ok: bool
    n: int
    message: str
    coefficients: pd.DataFrame = field(repr=False)
    reading: str = ""
    #: What was modelled, in words (``outcome ~ terms (family)``).
    name: str = ""
    #: The reading as message ids and values (:class:`Words`), for other languages.
    words: tuple[Words, ...] = ()


def _empty(logit: bool) -> pd.DataFrame:
    cols = COEFFICIENT_COLUMNS + (ODDS_COLUMNS if logit else ())
    return pd.DataFrame({c: pd.Series(dtype="str" if c == "term" else "float64") for c in cols})


def _refuse(name: str, n: int, message: str, logit: bool, words: Words | None = None) -> ModelResult:
    return ModelResult(False, n, message, _empty(logit), message, name, (words,) if words else ())


def model_frame(scores: pd.DataFrame, budgets: pd.DataFrame | None) -> pd.DataFrame:
    """Scores joined to each programme's latest known positive budget, with
    ``log10_budget`` and ``gender_specific`` (level specific or transformative)."""
    money = programme_budgets(budgets)
    money = money[money["budget_crore"] > 0]
    s = scores.assign(programme_key=programme_key(scores))
    s = s.merge(money[["ministry_code", "programme_key", "budget_crore"]],
                on=["ministry_code", "programme_key"], how="left")
    return s.assign(
        log10_budget=np.log10(s["budget_crore"]),
        gender_specific=s["level"].isin(GENDER_SPECIFIC_OR_TRANSFORMATIVE).astype("int64"),
    )


COLLINEAR_MESSAGE = (
    "clusters and budgets do not vary enough to separate their effects; no model is shown"
)
COLLINEAR_WORDS = Words(N_(
    "Clusters and budgets do not vary enough to separate their effects; no model is shown."))


def _collinear(x: pd.DataFrame) -> bool:
    """The design matrix has fewer independent columns than terms: no unique estimate."""
    return np.linalg.matrix_rank(x.to_numpy()) < x.shape[1]


def _design(df: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """Intercept, one column per non-reference cluster, and log10 budget."""
    counts = df["cluster"].value_counts()
    order = {c: i for i, c in enumerate(CLUSTERS)}
    reference = sorted(counts.index, key=lambda c: (-counts[c], order.get(c, len(order)), c))[0]
    others = sorted((c for c in counts.index if c != reference), key=lambda c: order.get(c, len(order)))
    x = pd.DataFrame({"intercept": 1.0}, index=df.index)
    for c in others:
        x[f"cluster: {c}"] = (df["cluster"] == c).astype(float)
    x[BUDGET_TERM] = df["log10_budget"].astype(float)
    return x, reference


OTHER_CLUSTERS = N_("other clusters")

#: The note on small clusters, as a clause (after ``;``) and as a sentence.
_MERGED = (N_("clusters with fewer than {min_n} programmes merged into 'other clusters': {names}"),
           N_("Clusters with fewer than {min_n} programmes merged into 'other clusters': {names}."))
_DROPPED = (N_("left out for having fewer than {min_n} programmes: {names}"),
            N_("Left out for having fewer than {min_n} programmes: {names}."))


def merge_small_clusters(df: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """Clusters with fewer than ``MODEL_MIN_CATEGORY`` programmes merged into "other
    clusters" (dropped when that is itself too small), and a sentence saying so."""
    merged, note, _ = _merge_small_clusters(df)
    return merged, note


def _merge_small_clusters(df: pd.DataFrame) -> tuple[pd.DataFrame, str, tuple[tuple[str, str], dict] | None]:
    """:func:`merge_small_clusters`, with the note's message ids and values."""
    counts = df["cluster"].value_counts()
    small = sorted(c for c, k in counts.items() if k < MODEL_MIN_CATEGORY)
    if not small:
        return df, "", None
    merged = df.assign(cluster=df["cluster"].where(~df["cluster"].isin(small), OTHER_CLUSTERS))
    k_other = int((merged["cluster"] == OTHER_CLUSTERS).sum())
    names = ", ".join(f"{c} ({counts[c]})" for c in small)
    values = {"min_n": str(MODEL_MIN_CATEGORY),
              "names": [Words("{cluster} ({n})", {"cluster": c, "n": str(counts[c])}) for c in small]}
    if k_other >= MODEL_MIN_CATEGORY and len(small) > 1:
        return merged, (f"clusters with fewer than {MODEL_MIN_CATEGORY} programmes merged into "
                        f"'{OTHER_CLUSTERS}': {names}"), (_MERGED, values)
    return df[~df["cluster"].isin(small)], (
        f"left out for having fewer than {MODEL_MIN_CATEGORY} programmes: {names}"), (_DROPPED, values)


def _note_clause(note: tuple[tuple[str, str], dict] | None) -> Words | str:
    """``; <note>`` as words (empty without a note)."""
    return Words("; {note}", {"note": Words(note[0][0], note[1])}) if note else ""


def _too_few_per_parameter(n_smaller: int, parameters: int, what: str) -> str:
    return (f"{n_smaller} {what} for {parameters} estimated parameters: fewer than "
            f"{MODEL_MIN_PER_PARAMETER} per parameter ({MODEL_MIN_PER_PARAMETER * parameters} "
            "needed), so the estimates would be unstable; no model is shown")


#: :func:`_too_few_per_parameter`'s sentence for each kind of count.
_TOO_FEW_PER_PARAMETER = {
    "events (gender-specific or transformative)": N_(
        "{k} events (gender-specific or transformative) for {parameters} estimated parameters: fewer than "
        "{per} per parameter ({needed} needed), so the estimates would be unstable; no model is "
        "shown{note}."),
    "non-events (not gender-specific or transformative)": N_(
        "{k} non-events (not gender-specific or transformative) for {parameters} estimated parameters: "
        "fewer than {per} per parameter ({needed} needed), so the estimates would be unstable; no model is "
        "shown{note}."),
    "programmes": N_(
        "{k} programmes for {parameters} estimated parameters: fewer than {per} per parameter ({needed} "
        "needed), so the estimates would be unstable; no model is shown{note}."),
}


def _too_few_per_parameter_words(n_smaller: int, parameters: int, what: str, note) -> Words:
    return Words(_TOO_FEW_PER_PARAMETER[what], {
        "k": str(n_smaller), "parameters": str(parameters), "per": str(MODEL_MIN_PER_PARAMETER),
        "needed": str(MODEL_MIN_PER_PARAMETER * parameters), "note": _note_clause(note)})


def sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:]


def _left_out(total: int, n: int, what: str) -> str:
    return f" ({total - n} more left out: no {what})" if total > n else ""


def _too_few(n: int, total: int, what: str) -> str:
    return f"only {n} programmes: too few for a model ({MODEL_MIN_N} needed)" + _left_out(total, n, what)


#: :func:`_left_out` for each kind of missing value.
_LEFT_OUT = {"budget, cluster or level": N_(" ({k} more left out: no budget, cluster or level)"),
             "budget, cluster or score": N_(" ({k} more left out: no budget, cluster or score)")}


def _left_out_words(total: int, n: int, what: str) -> Words | str:
    return Words(_LEFT_OUT[what], {"k": str(total - n)}) if total > n else ""


def _too_few_words(n: int, total: int, what: str, note=None) -> Words:
    return Words(N_("Only {n} programmes: too few for a model ({min_n} needed){left_out}{note}."), {
        "n": str(n), "min_n": str(MODEL_MIN_N), "left_out": _left_out_words(total, n, what),
        "note": _note_clause(note)})


def _coefficients(result, x: pd.DataFrame) -> pd.DataFrame:
    ci = np.asarray(result.conf_int(alpha=CONFIDENCE_ALPHA))
    return pd.DataFrame({
        "term": pd.Series(list(x.columns), dtype="str"),
        "estimate": np.asarray(result.params, dtype=float),
        "std_error": np.asarray(result.bse, dtype=float),
        "ci_low": ci[:, 0],
        "ci_high": ci[:, 1],
        "p_value": np.asarray(result.pvalues, dtype=float),
    })


def _fmt(x: float) -> str:
    return f"{x:.2f}" if abs(x) < 100 else f"{x:.3g}"


def gender_specific_model(scores: pd.DataFrame, budgets: pd.DataFrame | None) -> ModelResult:
    """Logistic model (GLM binomial) of gender-specific or transformative on cluster
    and log10 budget, or a message when the data cannot support one (module doc)."""
    import statsmodels.api as sm
    from statsmodels.tools.sm_exceptions import (
        ConvergenceWarning,
        PerfectSeparationError,
        PerfectSeparationWarning,
    )

    name = N_("gender-specific or transformative ~ cluster + log10 budget (logistic)")
    df = model_frame(scores, budgets)
    total = len(df)
    df = df[(df["level"] != INSUFFICIENT) & df["cluster"].notna() & df["log10_budget"].notna()]
    n = len(df)
    if n < MODEL_MIN_N:
        return _refuse(name, n, _too_few(n, total, "budget, cluster or level"), True,
                       _too_few_words(n, total, "budget, cluster or level"))
    k = int(df["gender_specific"].sum())
    if k in (0, n):
        which = "all" if k == n else "none"
        refusal = Words(N_("All of the {n} programmes are gender-specific or transformative: nothing to model.")
                        if k == n else
                        N_("None of the {n} programmes are gender-specific or transformative: nothing to model."),
                        {"n": str(n)})
        return _refuse(name, n, f"{which} of the {n} programmes are gender-specific or "
                       "transformative: nothing to model", True, refusal)
    df, merged_note, note = _merge_small_clusters(df)
    n = len(df)
    k = int(df["gender_specific"].sum())
    if n < MODEL_MIN_N:
        return _refuse(name, n, _too_few(n, total, "budget, cluster or level")
                       + (f"; {merged_note}" if merged_note else ""), True,
                       _too_few_words(n, total, "budget, cluster or level", note))
    by_cluster = df.groupby("cluster")["gender_specific"].agg(["sum", "size"])
    separated = by_cluster[(by_cluster["sum"] == 0) | (by_cluster["sum"] == by_cluster["size"])]
    if len(separated):
        described = "; ".join(
            f"{'all' if row['sum'] else 'none'} of the {row['size']} programmes in {cluster}"
            for cluster, row in separated.iterrows()
        )
        separation = Words(N_("Separation: gender-specific or transformative are {described}, so an odds ratio "
                              "would be infinite; no model is shown."), {"described": [
            Words(N_("all of the {n} programmes in {cluster}") if row["sum"] else
                  N_("none of the {n} programmes in {cluster}"), {"n": str(row["size"]), "cluster": cluster})
            for cluster, row in separated.iterrows()]})
        return _refuse(name, n, f"separation: gender-specific or transformative are {described}, "
                       "so an odds ratio would be infinite; no model is shown", True, separation)
    parameters = df["cluster"].nunique() + 1
    if min(k, n - k) < MODEL_MIN_PER_PARAMETER * parameters:
        which = "events (gender-specific or transformative)" if k <= n - k else \
            "non-events (not gender-specific or transformative)"
        return _refuse(name, n, _too_few_per_parameter(min(k, n - k), parameters, which)
                       + (f"; {merged_note}" if merged_note else ""), True,
                       _too_few_per_parameter_words(min(k, n - k), parameters, which, note))
    x, reference = _design(df)
    if _collinear(x):
        return _refuse(name, n, COLLINEAR_MESSAGE, True, COLLINEAR_WORDS)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = sm.GLM(df["gender_specific"].to_numpy(), x, family=sm.families.Binomial()).fit()
        except PerfectSeparationError:
            return _refuse(name, n, "perfect separation: budget or cluster predicts the level "
                           "exactly; no model is shown", True, Words(N_(
                               "Perfect separation: budget or cluster predicts the level exactly; no model "
                               "is shown.")))
    kinds = {type(w.message) for w in caught}
    if PerfectSeparationWarning in kinds:
        return _refuse(name, n, "perfect or quasi-separation reported by statsmodels; no model "
                       "is shown", True, Words(N_(
                           "Perfect or quasi-separation reported by statsmodels; no model is shown.")))
    if ConvergenceWarning in kinds or not getattr(result, "converged", True):
        return _refuse(name, n, "the model did not converge; no model is shown", True,
                       Words(N_("The model did not converge; no model is shown.")))
    coefficients = _coefficients(result, x)
    bse = coefficients["std_error"]
    if not np.isfinite(bse).all() or (bse > MODEL_MAX_LOGIT_SE).any():
        return _refuse(name, n, "quasi-separation: a standard error above "
                       f"{MODEL_MAX_LOGIT_SE:g} on the log-odds scale; no model is shown", True, Words(N_(
                           "Quasi-separation: a standard error above {se} on the log-odds scale; no model "
                           "is shown."), {"se": f"{MODEL_MAX_LOGIT_SE:g}"}))
    coefficients = coefficients.assign(
        odds_ratio=np.exp(coefficients["estimate"]),
        odds_ratio_ci_low=np.exp(coefficients["ci_low"]),
        odds_ratio_ci_high=np.exp(coefficients["ci_high"]),
    )
    sentences = [
        f"Fitted on {n} programmes, {k} of them gender-specific or transformative"
        f"{_left_out(total, n, 'budget, cluster or level')}; reference cluster: {reference}."
        + (f" {sentence_case(merged_note)}." if merged_note else "")
    ]
    words = [Words(N_("Fitted on {n} programmes, {k} of them gender-specific or transformative{left_out}; "
                      "reference cluster: {reference}."),
                   {"n": str(n), "k": str(k), "left_out": _left_out_words(total, n, "budget, cluster or level"),
                    "reference": reference})]
    if note:
        words.append(Words(note[0][1], note[1]))
    for row in coefficients.iloc[1:].itertuples(index=False):
        span = f"(95% CI {_fmt(row.odds_ratio_ci_low)} to {_fmt(row.odds_ratio_ci_high)})"
        clear = "" if row.odds_ratio_ci_low > 1 or row.odds_ratio_ci_high < 1 else \
            "; the interval includes 1, so no clear difference"
        values = {"odds": _fmt(row.odds_ratio), "low": _fmt(row.odds_ratio_ci_low),
                  "high": _fmt(row.odds_ratio_ci_high),
                  "clear": Words(N_("; the interval includes 1, so no clear difference")) if clear else ""}
        if row.term == BUDGET_TERM:
            sentences.append(f"Each tenfold larger budget multiplies the odds of being "
                             f"gender-specific or transformative by {_fmt(row.odds_ratio)} {span}{clear}.")
            words.append(Words(N_("Each tenfold larger budget multiplies the odds of being gender-specific or "
                                  "transformative by {odds} (95% CI {low} to {high}){clear}."), values))
        else:
            cluster = row.term.removeprefix("cluster: ")
            sentences.append(f"Programmes in {cluster} have {_fmt(row.odds_ratio)} times the odds "
                             f"of programmes in {reference} with the same budget {span}{clear}.")
            words.append(Words(N_("Programmes in {cluster} have {odds} times the odds of programmes in {reference} "
                                  "with the same budget (95% CI {low} to {high}){clear}."),
                               values | {"cluster": cluster, "reference": reference}))
    sentences.append(CAVEAT)
    words.append(Words(CAVEAT))
    return ModelResult(True, n, f"fitted on {n} programmes", coefficients, " ".join(sentences), name,
                       tuple(words))


def inclusion_score_model(scores: pd.DataFrame, budgets: pd.DataFrame | None) -> ModelResult:
    """OLS of ``inclusion_score`` on cluster and log10 budget (HC3 intervals), or a
    message when there are too few programmes or the terms cannot be separated."""
    import statsmodels.api as sm

    name = N_("inclusion score ~ cluster + log10 budget (OLS)")
    df = model_frame(scores, budgets)
    total = len(df)
    df = df[df["inclusion_score"].notna() & df["cluster"].notna() & df["log10_budget"].notna()]
    n = len(df)
    if n < MODEL_MIN_N:
        return _refuse(name, n, _too_few(n, total, "budget, cluster or score"), False,
                       _too_few_words(n, total, "budget, cluster or score"))
    df, merged_note, note = _merge_small_clusters(df)
    n = len(df)
    parameters = df["cluster"].nunique() + 1
    if n < MODEL_MIN_PER_PARAMETER * parameters:
        return _refuse(name, n, _too_few_per_parameter(n, parameters, "programmes")
                       + (f"; {merged_note}" if merged_note else ""), False,
                       _too_few_per_parameter_words(n, parameters, "programmes", note))
    if df["inclusion_score"].nunique() < 2:
        return _refuse(name, n, f"every one of the {n} programmes has the same score: nothing to "
                       "model", False, Words(N_("Every one of the {n} programmes has the same score: nothing "
                                                "to model."), {"n": str(n)}))
    x, reference = _design(df)
    if _collinear(x):
        return _refuse(name, n, COLLINEAR_MESSAGE, False, COLLINEAR_WORDS)
    result = sm.OLS(df["inclusion_score"].to_numpy(dtype=float), x).fit(cov_type="HC3")
    coefficients = _coefficients(result, x)
    sentences = [
        f"Fitted on {n} programmes{_left_out(total, n, 'budget, cluster or score')}; "
        f"reference cluster: {reference}; the terms explain {100 * result.rsquared:.0f}% of the "
        "variation in scores (R²)."
        + (f" {sentence_case(merged_note)}." if merged_note else "")
    ]
    words = [Words(N_("Fitted on {n} programmes{left_out}; reference cluster: {reference}; the terms explain "
                      "{r2}% of the variation in scores (R²)."),
                   {"n": str(n), "left_out": _left_out_words(total, n, "budget, cluster or score"),
                    "reference": reference, "r2": f"{100 * result.rsquared:.0f}"})]
    if note:
        words.append(Words(note[0][1], note[1]))
    for row in coefficients.iloc[1:].itertuples(index=False):
        span = f"(95% CI {row.ci_low:+.1f} to {row.ci_high:+.1f})"
        clear = "" if row.ci_low > 0 or row.ci_high < 0 else \
            "; the interval includes 0, so no clear difference"
        points = f"{abs(row.estimate):.1f} points {'higher' if row.estimate >= 0 else 'lower'}"
        higher = row.estimate >= 0
        values = {"points": f"{abs(row.estimate):.1f}", "low": f"{row.ci_low:+.1f}", "high": f"{row.ci_high:+.1f}",
                  "clear": Words(N_("; the interval includes 0, so no clear difference")) if clear else ""}
        if row.term == BUDGET_TERM:
            sentences.append(f"Each tenfold larger budget goes with a score {points} {span}{clear}.")
            words.append(Words(
                N_("Each tenfold larger budget goes with a score {points} points higher (95% CI {low} to "
                   "{high}){clear}.") if higher else
                N_("Each tenfold larger budget goes with a score {points} points lower (95% CI {low} to "
                   "{high}){clear}."), values))
        else:
            cluster = row.term.removeprefix("cluster: ")
            sentences.append(f"Programmes in {cluster} score {points} than those in {reference} "
                             f"with the same budget {span}{clear}.")
            words.append(Words(
                N_("Programmes in {cluster} score {points} points higher than those in {reference} with the "
                   "same budget (95% CI {low} to {high}){clear}.") if higher else
                N_("Programmes in {cluster} score {points} points lower than those in {reference} with the "
                   "same budget (95% CI {low} to {high}){clear}."),
                values | {"cluster": cluster, "reference": reference}))
    sentences.append(CAVEAT)
    words.append(Words(CAVEAT))
    return ModelResult(True, n, f"fitted on {n} programmes", coefficients, " ".join(sentences), name,
                       tuple(words))
