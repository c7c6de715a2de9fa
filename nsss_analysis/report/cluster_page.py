"""The cluster report: its programmes across ministries (each once, in its latest
round), its first screen, and what the cluster is meant to reach (life-cycle stages and
target groups, from ``clusters.csv``) against what its programmes name.
"""

from __future__ import annotations

import pandas as pd

from nsss_analysis.diagnostics.summaries import (
    UNKNOWN_SHARE_SAID,
    count_once,
    disputed_of,
    page_fiscal_year,
    unknown_bounds,
)
from nsss_analysis.io import Tables
from nsss_analysis.reference.clusters import cluster_reach
from nsss_analysis.reference.i18n import N_, _, current
from nsss_analysis.reference.vocab import load_reference
from nsss_analysis.report.card_parts import card_digits, notebook_html, programme_name, small_table, values_of
from nsss_analysis.report.display import escape
from nsss_analysis.report.headline_text import unknown_sentence
from nsss_analysis.report.labels import label
from nsss_analysis.report.page_top import (
    asks_of_year,
    first_screen_html,
    forms_on_record,
    levels_key,
    submission_line,
)
from nsss_analysis.report.wording import join_words


def cluster_disputed(tables: Tables, cluster: str) -> pd.DataFrame:
    """The disputed programmes of a cluster (both forms each), across ministries."""
    d = disputed_of(count_once(tables))
    return d[d["cluster"] == cluster].reset_index(drop=True) if len(d) else d


def cluster_rows(tables: Tables, cluster: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The cluster's assessment rows and score rows, across ministries: each programme
    once, in its latest round (docs/method.md, "Counted once")."""
    current = count_once(tables).current
    assert current.scores is not None  # count_once scores what it counts
    a = current.assessments[current.assessments["cluster"] == cluster].reset_index(drop=True)
    s = current.scores[current.scores["cluster"] == cluster].reset_index(drop=True)
    return a, s


def cluster_coverage(assessments: pd.DataFrame, cluster: str) -> pd.DataFrame:
    """For each life-cycle stage and target group the cluster is meant to reach: how
    many of its programmes name it, and which (``kind``, ``code``, ``label``,
    ``programmes``, ``names``)."""
    reach = cluster_reach().get(cluster)
    wanted = ([("life-cycle stage", s) for s in reach.lifecycle_stages] +
              [("target group", g) for g in reach.target_groups]) if reach else []
    rows = []
    for kind, code in wanted:
        column = "lifecycle_stages" if kind == "life-cycle stage" else "target_groups"
        names = sorted({programme_name(r["ministry_code"], r["programme"]) for r in assessments.to_dict("records")
                        if code in values_of(r[column])})
        rows.append({"kind": kind, "code": code, "label": label(code), "programmes": len(names),
                     "names": "; ".join(names)})
    return pd.DataFrame(rows, columns=["kind", "code", "label", "programmes", "names"]).astype(
        {"programmes": "int64"})


#: What each cluster is meant to reach, as ``clusters.csv`` says where it comes from
#: (its ``source`` column), marked here so that the catalogue translates it.
REACH_SOURCES: tuple[str, ...] = (
    N_("The project's reading of the NSSS (2015) cluster: life-cycle transfers (child benefit, old age, "
       "disability, vulnerable women); to be verified with the Cabinet Division"),
    N_("The project's reading of the NSSS (2015) cluster: food transfers and relief after covariate shocks; "
       "programmes may name no life-cycle stage; to be verified with the Cabinet Division"),
    N_("The project's reading of the NSSS (2015) cluster: contributory pensions and maternity insurance; "
       "to be verified with the Cabinet Division"),
    N_("The project's reading of the NSSS (2015) cluster: employment, skills and livelihoods for the "
       "working age; to be verified with the Cabinet Division"),
    N_("The project's reading of the NSSS (2015) cluster: education, health and nutrition, and the socially "
       "excluded groups; to be verified with the Cabinet Division"),
)


#: The kinds of intended reach of a cluster, in words.
REACH_KINDS: dict[str, str] = {"life-cycle stage": N_("life-cycle stage"), "target group": N_("target group")}


def cluster_coverage_html(assessments: pd.DataFrame, cluster: str) -> str:
    """The coverage table and the sentence naming what no programme reaches."""
    cov = cluster_coverage(assessments, cluster)
    reach = cluster_reach().get(cluster)
    if reach is None or not len(cov):
        return f"<p>{escape(_('No intended reach is on record for this cluster.'))}</p>"
    gaps = [_(g) for g in cov[cov["programmes"] == 0]["label"]]
    gap_line = (_("No assessed programme of the cluster names {gaps}.").format(gaps=join_words(gaps, _("or")))
                if gaps else
                _("Every stage and group the cluster is meant to reach is named by at least one programme."))
    rows = [[_(r["label"]), _(REACH_KINDS.get(r["kind"], r["kind"])), card_digits(r["programmes"]), r["names"]]
            for r in cov.to_dict("records")]
    return (f"<p>{escape(gap_line)}</p>"
            + small_table([_("Meant to reach"), _("Kind"), _("Programmes naming it"), _("Which")], rows,
                           numeric_from=99)
            + f"<p><em>{escape(_('What the cluster is meant to reach: {source}.').format(source=_(reach.source)))}"
            "</em></p>")


def cluster_unknown_sentence(assessments: pd.DataFrame, scores: pd.DataFrame) -> str:
    """Where more than 1 in 10 answers behind the cluster's headline count are unknown:
    how many, and the count with every unknown read as no and as yes (as on a ministry's
    page); empty otherwise."""
    bounds = unknown_bounds(assessments)
    return unknown_sentence({
        "unknown_said": bool(bounds["n_answers"]) and bounds["n_unknown"] > UNKNOWN_SHARE_SAID * bounds["n_answers"],
        "n_programmes": len(scores), "n_unknown": bounds["n_unknown"], "n_answers": bounds["n_answers"],
        "k_if_unknown_no": bounds["k_if_no"], "k_if_unknown_yes": bounds["k_if_yes"]})


def cluster_first_screen(tables: Tables, cluster: str, plan: pd.DataFrame):
    """The cluster report's first screen: verdict across ministries, and its asks."""
    a, s = cluster_rows(tables, cluster)
    register = load_reference().ministry_by_code
    language = current().language
    ministries = sorted({register[code].name_in(language) if code in register else name
                         for code, name in zip(a["ministry_code"], a["ministry"], strict=True) if isinstance(name, str)})
    # amounts of the national budget year only (the one year the clusters are read in)
    recs, fy = asks_of_year(tables.recommendations, tables.budgets,
                            page_fiscal_year(tables.budgets, None, None) if tables.budgets is not None else None)
    unknowns = cluster_unknown_sentence(a, s)
    return notebook_html(
        first_screen_html(_("the {cluster} cluster").format(cluster=_(cluster)), s, a, plan, recs,
                          cluster_disputed(tables, cluster), fy)
        + (f"<p>{escape(unknowns)}</p>" if unknowns else "")
        + "<p>" + escape(_("Ministries and divisions with programmes in this cluster: {ministries}.").format(
            ministries=join_words(ministries))) + "</p>"
        + f"<p>{escape(levels_key(s))}</p>"
        f"<p>{escape(submission_line(forms_on_record(a, cluster_disputed(tables, cluster))))}</p>")


def cluster_coverage_section(tables: Tables, cluster: str):
    return notebook_html(cluster_coverage_html(cluster_rows(tables, cluster)[0], cluster))
