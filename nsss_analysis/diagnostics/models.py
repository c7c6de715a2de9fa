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
left out, and the reading says how many. The reference cluster is the one with the
most programmes (ties: NSSS order), so contrasts rest on the largest group.

Guards, each giving a reason (a code, and its words as message ids with their numbers)
and no coefficients, rather than a misleading number:
fewer than ``MODEL_MIN_N`` (30) programmes; an outcome that does not vary; a cluster
whose programmes are all or none gender-specific (separation: its odds ratio would be
infinite); statsmodels reporting perfect separation or non-convergence; a standard
error above ``MODEL_MAX_LOGIT_SE``; terms that cannot be separated (rank deficiency).
An association across programmes is not an effect of budget or cluster, and every
reading says so. The diagnostics write no sentence: :mod:`nsss_analysis.report.model_text`
writes the reading from the :class:`Words` in the page's language.
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
class Figure:
    """A number of a model's reading and the kind of number it is, so the report layer
    prints it (``reference/numbers.py``): ``count`` (programmes, parameters), ``ratio``
    (an odds ratio), ``points`` (the size of a score difference), ``signed`` (an interval
    end in score points, with its sign), ``percent`` (0-100, the ``%`` in the message) or
    ``constant`` (a threshold of the method)."""

    value: float
    kind: str


@dataclass(frozen=True)
class Words:
    """One sentence (or clause) of a model's reading as a message id, marked with
    ``N_``, and its values, so the report layer writes the reading in the page's language.

    A value is a :class:`Figure`, a cluster's name (keys ``cluster`` and ``reference``),
    a nested :class:`Words`, or a list of them; ``""`` for an absent clause. The
    diagnostics write no sentence of their own: the words are the reading."""

    message: str
    values: dict = field(default_factory=dict)


@dataclass(frozen=True)
class ModelResult:
    """A fitted model, or the reason there is none.

    ``coefficients`` is empty when ``ok`` is False; ``code`` says why (one of
    :data:`MODEL_CODES`) and ``words`` is the reading (or the reason) as message ids
    and values, which :mod:`nsss_analysis.report.model_text` writes in words.
    """

    ok: bool
    n: int
    code: str
    coefficients: pd.DataFrame = field(repr=False)
    #: What was modelled, in words (``outcome ~ terms (family)``), a message id.
    name: str = ""
    #: The reading as message ids and values (:class:`Words`).
    words: tuple[Words, ...] = ()


#: Why a model is or is not shown: ``fitted``, or the guard that refused it.
MODEL_CODES = ("fitted", "too_few", "no_variation", "separation", "too_few_per_parameter", "collinear",
               "perfect_separation", "quasi_separation", "no_convergence", "same_score")


def _empty(logit: bool) -> pd.DataFrame:
    cols = COEFFICIENT_COLUMNS + (ODDS_COLUMNS if logit else ())
    return pd.DataFrame({c: pd.Series(dtype="str" if c == "term" else "float64") for c in cols})


def _refuse(name: str, n: int, code: str, logit: bool, words: Words) -> ModelResult:
    return ModelResult(False, n, code, _empty(logit), name, (words,))


def _count(n: float) -> Figure:
    return Figure(int(n), "count")


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


def merge_small_clusters(df: pd.DataFrame) -> tuple[pd.DataFrame, tuple[tuple[str, str], dict] | None]:
    """Clusters with fewer than ``MODEL_MIN_CATEGORY`` programmes merged into "other
    clusters" (dropped when that is itself too small), and the note saying so: its
    message ids (as a clause, as a sentence) and values, or ``None``."""
    counts = df["cluster"].value_counts()
    small = sorted(c for c, k in counts.items() if k < MODEL_MIN_CATEGORY)
    if not small:
        return df, None
    merged = df.assign(cluster=df["cluster"].where(~df["cluster"].isin(small), OTHER_CLUSTERS))
    k_other = int((merged["cluster"] == OTHER_CLUSTERS).sum())
    values = {"min_n": _count(MODEL_MIN_CATEGORY),
              "names": [Words("{cluster} ({n})", {"cluster": c, "n": _count(counts[c])}) for c in small]}
    if k_other >= MODEL_MIN_CATEGORY and len(small) > 1:
        return merged, (_MERGED, values)
    return df[~df["cluster"].isin(small)], (_DROPPED, values)


def _note_clause(note: tuple[tuple[str, str], dict] | None) -> Words | str:
    """``; <note>`` as words (empty without a note)."""
    return Words("; {note}", {"note": Words(note[0][0], note[1])}) if note else ""


#: The sentence of too few programmes per estimated parameter, for each kind of count.
_TOO_FEW_PER_PARAMETER = {
    "events": N_(
        "{k} events (gender-specific or transformative) for {parameters} estimated parameters: fewer than "
        "{per} per parameter ({needed} needed), so the estimates would be unstable; no model is "
        "shown{note}."),
    "non-events": N_(
        "{k} non-events (not gender-specific or transformative) for {parameters} estimated parameters: "
        "fewer than {per} per parameter ({needed} needed), so the estimates would be unstable; no model is "
        "shown{note}."),
    "programmes": N_(
        "{k} programmes for {parameters} estimated parameters: fewer than {per} per parameter ({needed} "
        "needed), so the estimates would be unstable; no model is shown{note}."),
}


def _too_few_per_parameter_words(n_smaller: int, parameters: int, what: str, note) -> Words:
    return Words(_TOO_FEW_PER_PARAMETER[what], {
        "k": _count(n_smaller), "parameters": _count(parameters), "per": _count(MODEL_MIN_PER_PARAMETER),
        "needed": _count(MODEL_MIN_PER_PARAMETER * parameters), "note": _note_clause(note)})


#: The clause of programmes left out, for each kind of missing value.
_LEFT_OUT = {"level": N_(" ({k} more left out: no budget, cluster or level)"),
             "score": N_(" ({k} more left out: no budget, cluster or score)")}


def _left_out_words(total: int, n: int, what: str) -> Words | str:
    return Words(_LEFT_OUT[what], {"k": _count(total - n)}) if total > n else ""


def _too_few_words(n: int, total: int, what: str, note=None) -> Words:
    return Words(N_("Only {n} programmes: too few for a model ({min_n} needed){left_out}{note}."), {
        "n": _count(n), "min_n": _count(MODEL_MIN_N), "left_out": _left_out_words(total, n, what),
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


def gender_specific_model(scores: pd.DataFrame, budgets: pd.DataFrame | None) -> ModelResult:
    """Logistic model (GLM binomial) of gender-specific or transformative on cluster
    and log10 budget, or the reason the data cannot support one (module doc)."""
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
        return _refuse(name, n, "too_few", True, _too_few_words(n, total, "level"))
    k = int(df["gender_specific"].sum())
    if k in (0, n):
        return _refuse(name, n, "no_variation", True, Words(
            N_("All of the {n} programmes are gender-specific or transformative: nothing to model.") if k == n else
            N_("None of the {n} programmes are gender-specific or transformative: nothing to model."),
            {"n": _count(n)}))
    df, note = merge_small_clusters(df)
    n = len(df)
    k = int(df["gender_specific"].sum())
    if n < MODEL_MIN_N:
        return _refuse(name, n, "too_few", True, _too_few_words(n, total, "level", note))
    by_cluster = df.groupby("cluster")["gender_specific"].agg(["sum", "size"])
    separated = by_cluster[(by_cluster["sum"] == 0) | (by_cluster["sum"] == by_cluster["size"])]
    if len(separated):
        return _refuse(name, n, "separation", True, Words(N_(
            "Separation: gender-specific or transformative are {described}, so an odds ratio would be infinite; "
            "no model is shown."), {"described": [
                Words(N_("all of the {n} programmes in {cluster}") if row["sum"] else
                      N_("none of the {n} programmes in {cluster}"), {"n": _count(row["size"]), "cluster": cluster})
                for cluster, row in separated.iterrows()]}))
    parameters = df["cluster"].nunique() + 1
    if min(k, n - k) < MODEL_MIN_PER_PARAMETER * parameters:
        which = "events" if k <= n - k else "non-events"
        return _refuse(name, n, "too_few_per_parameter", True,
                       _too_few_per_parameter_words(min(k, n - k), parameters, which, note))
    x, reference = _design(df)
    if _collinear(x):
        return _refuse(name, n, "collinear", True, COLLINEAR_WORDS)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = sm.GLM(df["gender_specific"].to_numpy(), x, family=sm.families.Binomial()).fit()
        except PerfectSeparationError:
            return _refuse(name, n, "perfect_separation", True, Words(N_(
                "Perfect separation: budget or cluster predicts the level exactly; no model is shown.")))
    kinds = {type(w.message) for w in caught}
    if PerfectSeparationWarning in kinds:
        return _refuse(name, n, "quasi_separation", True, Words(N_(
            "Perfect or quasi-separation reported by statsmodels; no model is shown.")))
    if ConvergenceWarning in kinds or not getattr(result, "converged", True):
        return _refuse(name, n, "no_convergence", True, Words(N_("The model did not converge; no model is shown.")))
    coefficients = _coefficients(result, x)
    bse = coefficients["std_error"]
    if not np.isfinite(bse).all() or (bse > MODEL_MAX_LOGIT_SE).any():
        return _refuse(name, n, "quasi_separation", True, Words(N_(
            "Quasi-separation: a standard error above {se} on the log-odds scale; no model is shown."),
            {"se": Figure(MODEL_MAX_LOGIT_SE, "constant")}))
    coefficients = coefficients.assign(
        odds_ratio=np.exp(coefficients["estimate"]),
        odds_ratio_ci_low=np.exp(coefficients["ci_low"]),
        odds_ratio_ci_high=np.exp(coefficients["ci_high"]),
    )
    words = [Words(N_("Fitted on {n} programmes, {k} of them gender-specific or transformative{left_out}; "
                      "reference cluster: {reference}."),
                   {"n": _count(n), "k": _count(k), "left_out": _left_out_words(total, n, "level"),
                    "reference": reference})]
    if note:
        words.append(Words(note[0][1], note[1]))
    for row in coefficients.iloc[1:].itertuples(index=False):
        clear = not (row.odds_ratio_ci_low > 1 or row.odds_ratio_ci_high < 1)
        values = {"odds": Figure(row.odds_ratio, "ratio"), "low": Figure(row.odds_ratio_ci_low, "ratio"),
                  "high": Figure(row.odds_ratio_ci_high, "ratio"),
                  "clear": Words(N_("; the interval includes 1, so no clear difference")) if clear else ""}
        if row.term == BUDGET_TERM:
            words.append(Words(N_("Each tenfold larger budget multiplies the odds of being gender-specific or "
                                  "transformative by {odds} (95% CI {low} to {high}){clear}."), values))
        else:
            words.append(Words(N_("Programmes in {cluster} have {odds} times the odds of programmes in {reference} "
                                  "with the same budget (95% CI {low} to {high}){clear}."),
                               values | {"cluster": row.term.removeprefix("cluster: "), "reference": reference}))
    words.append(Words(CAVEAT))
    return ModelResult(True, n, "fitted", coefficients, name, tuple(words))


def inclusion_score_model(scores: pd.DataFrame, budgets: pd.DataFrame | None) -> ModelResult:
    """OLS of ``inclusion_score`` on cluster and log10 budget (HC3 intervals), or the
    reason there is none: too few programmes, or terms that cannot be separated."""
    import statsmodels.api as sm

    name = N_("inclusion score ~ cluster + log10 budget (OLS)")
    df = model_frame(scores, budgets)
    total = len(df)
    df = df[df["inclusion_score"].notna() & df["cluster"].notna() & df["log10_budget"].notna()]
    n = len(df)
    if n < MODEL_MIN_N:
        return _refuse(name, n, "too_few", False, _too_few_words(n, total, "score"))
    df, note = merge_small_clusters(df)
    n = len(df)
    parameters = df["cluster"].nunique() + 1
    if n < MODEL_MIN_PER_PARAMETER * parameters:
        return _refuse(name, n, "too_few_per_parameter", False,
                       _too_few_per_parameter_words(n, parameters, "programmes", note))
    if df["inclusion_score"].nunique() < 2:
        return _refuse(name, n, "same_score", False, Words(N_(
            "Every one of the {n} programmes has the same score: nothing to model."), {"n": _count(n)}))
    x, reference = _design(df)
    if _collinear(x):
        return _refuse(name, n, "collinear", False, COLLINEAR_WORDS)
    result = sm.OLS(df["inclusion_score"].to_numpy(dtype=float), x).fit(cov_type="HC3")
    coefficients = _coefficients(result, x)
    words = [Words(N_("Fitted on {n} programmes{left_out}; reference cluster: {reference}; the terms explain "
                      "{r2}% of the variation in scores (R²)."),
                   {"n": _count(n), "left_out": _left_out_words(total, n, "score"),
                    "reference": reference, "r2": Figure(100 * result.rsquared, "percent")})]
    if note:
        words.append(Words(note[0][1], note[1]))
    for row in coefficients.iloc[1:].itertuples(index=False):
        clear = not (row.ci_low > 0 or row.ci_high < 0)
        higher = row.estimate >= 0
        values = {"points": Figure(abs(row.estimate), "points"), "low": Figure(row.ci_low, "signed"),
                  "high": Figure(row.ci_high, "signed"),
                  "clear": Words(N_("; the interval includes 0, so no clear difference")) if clear else ""}
        if row.term == BUDGET_TERM:
            words.append(Words(
                N_("Each tenfold larger budget goes with a score {points} points higher (95% CI {low} to "
                   "{high}){clear}.") if higher else
                N_("Each tenfold larger budget goes with a score {points} points lower (95% CI {low} to "
                   "{high}){clear}."), values))
        else:
            words.append(Words(
                N_("Programmes in {cluster} score {points} points higher than those in {reference} with the "
                   "same budget (95% CI {low} to {high}){clear}.") if higher else
                N_("Programmes in {cluster} score {points} points lower than those in {reference} with the "
                   "same budget (95% CI {low} to {high}){clear}."),
                values | {"cluster": row.term.removeprefix("cluster: "), "reference": reference}))
    words.append(Words(CAVEAT))
    return ModelResult(True, n, "fitted", coefficients, name, tuple(words))
