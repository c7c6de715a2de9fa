"""Report-facing functions over the coverage tables (pure): women's share per
programme with Wilson intervals, by age band, district, amount and payment channel,
and where the form and the MIS disagree."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from nsss_analysis.diagnostics.intervals import binomial_limits
from nsss_analysis.diagnostics.rubric import CONFIDENCE_ALPHA
from nsss_analysis.errors import NsssError
from nsss_analysis.mis.counting import (  # noqa: F401 (the table's names, where readers look)
    WOMEN_SHARE_COLUMNS,
    WOMEN_SHARE_FILE,
    as_frame,
    wilson_bounds,
    women_share_rows,
)
from nsss_analysis.mis.lookups import code_lists, ministry_code_of
from nsss_analysis.reference.vocab import normalise_key

#: A programme whose extract has more than this share of rows with an unreadable sex
#: code does not, in practice, collect sex-disaggregated data, whatever its form says.
MOSTLY_UNKNOWN_SEX = 0.5


def _for_ministry(coverage: pd.DataFrame, ministry: str | None) -> pd.DataFrame:
    """The rows of one ministry, named by its code, its name or any register spelling."""
    if ministry is None:
        return coverage
    if (coverage["ministry_code"] == ministry).any():
        return coverage[coverage["ministry_code"] == ministry]
    if (coverage["ministry"] == ministry).any():
        return coverage[coverage["ministry"] == ministry]
    code = ministry_code_of(ministry)
    if code is None:
        raise NsssError(f"{ministry!r} is not a ministry or division of the register")
    return coverage[coverage["ministry_code"] == code]


_KEYS = ["ministry", "ministry_code", "programme", "fiscal_year"]


def _by_sex(coverage: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Beneficiaries per group with one column per sex, ``total`` and ``women_share``."""
    sexes = list(code_lists().sexes)
    wide = coverage.groupby([*by, "sex"], dropna=False, sort=True)["beneficiaries"].sum().unstack("sex", fill_value=0)
    wide = wide.reindex(columns=sexes, fill_value=0).astype("int64")
    wide.columns.name = None
    wide["total"] = wide[sexes].sum(axis=1)
    wide = wide[wide["total"] > 0]
    wide["women_share"] = wide["female"] / wide["total"]
    return wide.reset_index()


def _wilson(count: np.ndarray, n: np.ndarray, alpha: float = CONFIDENCE_ALPHA) -> tuple[np.ndarray, np.ndarray]:
    """:func:`wilson_bounds` of arrays: the same figures as ``wilson_interval`` (a test
    holds them equal), without importing statsmodels and scipy, which would add about
    a second to ``nsss beneficiaries``."""
    bounds = [wilson_bounds(int(c), int(t), alpha) for c, t in zip(count, n)]
    return (np.asarray([b[0] for b in bounds], dtype="float64"),
            np.asarray([b[1] for b in bounds], dtype="float64"))


def women_share_by_programme(coverage: pd.DataFrame, ministry: str | None = None) -> pd.DataFrame:
    """Women's share of each programme's beneficiaries per fiscal year, with a 95%
    Wilson interval (as ``wilson_interval`` computes it): ``WOMEN_SHARE_COLUMNS``
    (:func:`women_share_rows`, which ``nsss beneficiaries`` writes, on a DataFrame).

    ``total`` counts women, men and hijra; a programme with no counted beneficiary
    has no row.
    """
    rows = _for_ministry(coverage, ministry)
    columns = [*_KEYS, "sex", "beneficiaries"]
    values = rows[columns].astype(object).where(rows[columns].notna(), None)
    return as_frame("coverage_women_share", women_share_rows(values.itertuples(index=False, name=None)))


def _ordered(frame: pd.DataFrame, column: str, order: Sequence[str]) -> pd.DataFrame:
    """Sort a frame's ``column`` in a vocabulary's order, not alphabetically."""
    rank = {v: i for i, v in enumerate(order)}
    return frame.assign(_rank=frame[column].map(rank)).sort_values(
        ["programme", "fiscal_year", "_rank"], ignore_index=True
    ).drop(columns="_rank")


def coverage_by_age_band(coverage: pd.DataFrame, ministry: str | None = None) -> pd.DataFrame:
    """Beneficiaries by programme, fiscal year and age band (bands in age order,
    ``unknown`` last): ``female``, ``male``, ``hijra``, ``total``, ``women_share``."""
    rows = _for_ministry(coverage, ministry)
    wide = _by_sex(rows, ["programme", "fiscal_year", "age_band"])
    return _ordered(wide, "age_band", code_lists().band_labels)


def coverage_by_district(coverage: pd.DataFrame, ministry: str | None = None) -> pd.DataFrame:
    """Beneficiaries by programme, fiscal year, division and district with women's
    share, sorted within each programme by women's share (highest first), then name:
    ready for a sorted bar chart of the districts."""
    rows = _for_ministry(coverage, ministry)
    wide = _by_sex(rows, ["programme", "fiscal_year", "division", "district"])
    return wide.sort_values(
        ["programme", "fiscal_year", "women_share", "district"], ascending=[True, True, False, True], ignore_index=True
    )


#: Funnel-plot limits: two-sided 95% and 99.8%, exact binomial quantiles around the
#: programme's overall share; only districts outside the 99.8% limits are named.
FUNNEL_LEVELS: tuple[float, float] = (0.95, 0.998)


#: Columns of :func:`district_funnel`.
FUNNEL_COLUMNS = ("programme", "fiscal_year", "district", "female", "total", "women_share",
                  "overall_share", "low_95", "high_95", "low_998", "high_998", "outside_998")


def district_funnel(by_district: pd.DataFrame) -> pd.DataFrame:
    """Each district's women's share against its n, with funnel limits around the
    programme's overall share (of the rows given, per programme and fiscal year):
    the exact binomial quantiles of Binomial(n, overall_share) over n for 95% and
    99.8% (:func:`~nsss_analysis.diagnostics.intervals.binomial_limits`; the normal
    approximation fails near 0% and 100% and at small n); ``outside_998`` marks the districts outside the 99.8% limits, the only ones a
    report names. Districts written ``unknown`` are left out of the funnel."""
    if by_district is None or not len(by_district):
        return pd.DataFrame({c: pd.Series(dtype="float64") for c in FUNNEL_COLUMNS})
    rows = by_district[by_district["district"].astype(str).str.lower() != "unknown"]
    keys = ["programme", "fiscal_year"] if "fiscal_year" in rows.columns else ["programme"]
    totals = rows.groupby(keys, dropna=False)[["female", "total"]].transform("sum")
    p0 = (totals["female"] / totals["total"]).to_numpy(dtype=float)
    n = rows["total"].to_numpy(dtype=float)
    out = rows.assign(overall_share=p0)
    for level, name in zip(FUNNEL_LEVELS, ("95", "998"), strict=True):
        low, high = binomial_limits(p0, n, level)
        out[f"low_{name}"] = np.asarray(low, dtype=float)
        out[f"high_{name}"] = np.asarray(high, dtype=float)
    share = out["women_share"].to_numpy(dtype=float)
    out["outside_998"] = (share < out["low_998"].to_numpy()) | (share > out["high_998"].to_numpy())
    if "fiscal_year" not in out.columns:
        out["fiscal_year"] = pd.NA
    return out[list(FUNNEL_COLUMNS)].reset_index(drop=True)


def amount_by_sex(coverage: pd.DataFrame, ministry: str | None = None) -> pd.DataFrame:
    """Benefit paid by programme, fiscal year and sex: ``beneficiaries``,
    ``amount_bdt`` (total) and ``mean_bdt`` per beneficiary."""
    rows = _for_ministry(coverage, ministry)
    out = rows.groupby(["programme", "fiscal_year", "sex"], as_index=False)[["beneficiaries", "amount_bdt"]].sum(
        min_count=1
    )
    out["mean_bdt"] = out["amount_bdt"] / out["beneficiaries"]
    return _ordered(out, "sex", code_lists().sexes)


def payment_channel_by_sex(coverage: pd.DataFrame, ministry: str | None = None) -> pd.DataFrame:
    """Beneficiaries by programme, fiscal year, sex and payment channel, with
    ``share_of_sex``: the share of that sex's beneficiaries paid through the channel."""
    rows = _for_ministry(coverage, ministry)
    out = rows.groupby(["programme", "fiscal_year", "sex", "payment_channel"], as_index=False)["beneficiaries"].sum()
    totals = out.groupby(["programme", "fiscal_year", "sex"])["beneficiaries"].transform("sum")
    out["share_of_sex"] = out["beneficiaries"] / totals
    channel_rank = {c: i for i, c in enumerate(code_lists().channels)}
    sex_rank = {s: i for i, s in enumerate(code_lists().sexes)}
    return out.assign(_s=out["sex"].map(sex_rank), _c=out["payment_channel"].map(channel_rank)).sort_values(
        ["programme", "fiscal_year", "_s", "_c"], ignore_index=True
    ).drop(columns=["_s", "_c"])


#: What each kind of disagreement between the form and the MIS means.
DISAGREEMENTS = {
    "form_no_mis_has_sex": "the form says {answer} to collecting sex-disaggregated data, but the MIS records "
    "the sex of {counted:,} beneficiaries",
    "form_yes_mis_unknown_sex": "the form says {answer}, but {unknown_share:.0%} of the MIS rows have no "
    "readable sex",
    "form_yes_mis_empty": "the form says {answer}, but the MIS extract has no beneficiary that could be counted",
}


def form_mis_disagreements(
    coverage: pd.DataFrame, assessments: pd.DataFrame, quality: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Programmes whose form answer to ``sex_disaggregated_data`` and MIS extract disagree.

    - ``form_no_mis_has_sex``: the form says ``no`` or ``unknown``, the MIS counts
      beneficiaries by sex;
    - ``form_yes_mis_unknown_sex``: the form says ``yes``/``partly``, but more than
      ``MOSTLY_UNKNOWN_SEX`` of the rows read have no readable sex (needs ``quality``);
    - ``form_yes_mis_empty``: the form says yes, the extract was read (``quality``) but
      nobody could be counted.

    A programme without an extract is not flagged: there is nothing to compare.

    Programmes are matched by ``(ministry_code, normalise_key(programme))``. Columns:
    ministry, ministry_code, programme, sex_disaggregated_data, mis_counted,
    mis_rows_read, unknown_sex_share, kind, message.
    """
    columns = ["ministry", "ministry_code", "programme", "sex_disaggregated_data", "mis_counted",
               "mis_rows_read", "unknown_sex_share", "kind", "message"]
    forms = assessments[["ministry", "ministry_code", "programme", "sex_disaggregated_data"]].dropna(
        subset=["ministry_code", "programme"]
    ).drop_duplicates()
    forms = forms.assign(key=forms["programme"].map(normalise_key))

    def keyed(frame: pd.DataFrame) -> pd.DataFrame:
        frame = frame.dropna(subset=["ministry_code"])
        return frame.assign(key=frame["programme"].map(normalise_key))

    counted = keyed(coverage).groupby(["ministry_code", "key"])["beneficiaries"].sum().rename("mis_counted")
    if quality is not None:
        q = keyed(quality).groupby(["ministry_code", "key"])[["rows_read", "invalid_unknown_sex"]].sum()
        q = q.rename(columns={"rows_read": "mis_rows_read"})
        q["unknown_sex_share"] = q["invalid_unknown_sex"] / q["mis_rows_read"]
        mis = q[["mis_rows_read", "unknown_sex_share"]].join(counted, how="outer")
    else:
        mis = counted.to_frame().assign(mis_rows_read=np.nan, unknown_sex_share=np.nan)
    mis = mis.fillna({"mis_counted": 0})
    merged = forms.join(mis, on=["ministry_code", "key"])
    merged["mis_counted"] = merged["mis_counted"].fillna(0)
    answer = merged["sex_disaggregated_data"]
    says_yes = answer.isin(["yes", "partly"])
    in_mis = merged["mis_rows_read"].notna() | (merged["mis_counted"] > 0)
    kind = pd.Series(None, index=merged.index, dtype="str")
    kind[answer.isin(["no", "unknown"]) & (merged["mis_counted"] > 0)] = "form_no_mis_has_sex"
    kind[says_yes & in_mis & (merged["mis_counted"] == 0)] = "form_yes_mis_empty"
    kind[says_yes & (merged["unknown_sex_share"] > MOSTLY_UNKNOWN_SEX) & (merged["mis_counted"] > 0)] = (
        "form_yes_mis_unknown_sex"
    )
    merged["kind"] = kind
    flagged = merged[merged["kind"].notna()].copy()
    flagged["message"] = [
        DISAGREEMENTS[k].format(answer=a, counted=int(c), unknown_share=u if u == u else 0.0)
        for k, a, c, u in zip(flagged["kind"], flagged["sex_disaggregated_data"], flagged["mis_counted"],
                              flagged["unknown_sex_share"])
    ]
    flagged["mis_counted"] = flagged["mis_counted"].astype("int64")
    return flagged[columns].sort_values(["ministry_code", "programme"], ignore_index=True)
