"""Small random datasets drawn from the bundled (synthetic) rows, for the tests that
check the claims ledger on data the bundled pages do not show (issue #16).

Each dataset keeps 1-6 programmes of a few ministries, gives some programmes two
differing forms of one round with no received date (disputed, or told apart by a
revision word, a version or a date in the file name), drops the round of some rows and
puts others five years back, keeps a sparse random subset of the budget rows across
years (sometimes with a later year only one ministry reports), puts two ministries'
rows in one file with a quarantined line naming one of them and one naming none,
carries the bundled MIS extracts (a programme with 4 men and 2 hijra beneficiaries)
and is marked synthetic or not at random. One generator, used by the seeded property
test (tests/test_claims_generated.py) and by the every-figure scan
(tests/test_every_figure_a_claim.py), which renders a whole site of one seed once per
run (:func:`generated_site`)."""

from __future__ import annotations

import contextlib
import io
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from nsss_analysis.commands import run_score
from nsss_analysis.intake.schemas import ASSESSMENT_ARROW_SCHEMA, BUDGET_ARROW_SCHEMA
from nsss_analysis.io import current_generation, load_tables
from nsss_analysis.reference.vocab import ITEMS
from tests.support.once import built_once
from tests.support.pages import Site
from tests.support.processed import site_request

#: The MIS extracts are kept with this ministry (its widow allowance has 4 men counted).
MIS_MINISTRY = "MoSW"
ANSWERS = ("yes", "partly", "no", "unknown")


def generated_dataset(seed: int, folder: Path, source: Path) -> tuple[Path, list[str], str]:
    """A processed folder (scored by the real ``nsss score``) drawn from the bundled
    tables in ``source``, its ministries, and the cluster with most programmes."""
    rng = random.Random(seed)
    source = current_generation(source)
    bundled = load_tables(source)
    a, b = bundled.assessments, bundled.budgets
    others = sorted(set(a["ministry_code"]) - {MIS_MINISTRY})
    ministries = [MIS_MINISTRY, *rng.sample(others, rng.randint(1, 3))]
    rows = []
    for code in ministries:
        own = a[a["ministry_code"] == code]
        names = sorted(set(own["programme"]))
        keep = rng.sample(names, min(len(names), rng.randint(1, 6)))
        rows.append(own[own["programme"].isin(keep)])
    kept = pd.concat(rows, ignore_index=True)
    if rng.random() < 0.6:  # two differing forms of one programme in one round, neither later
        twin = kept.iloc[[rng.randrange(len(kept))]].copy()
        for item in rng.sample(list(ITEMS), 2):
            twin[item] = rng.choice([x for x in ANSWERS if x != twin[item].iloc[0]])
        # nothing in the name tells, or a revision word, a version or a date does
        twin["source_file"] = rng.choice(["second copy of the form.xlsx", "form (revised).xlsx",
                                          "form v2.xlsx", "form (2).xlsx", "form 2024-08-01.xlsx"])
        twin["source_row"] = 2
        twin["received_date"] = None
        kept = pd.concat([kept, twin], ignore_index=True)
    missing_round = [rng.random() < 0.3 for _ in range(len(kept))]
    kept.loc[missing_round, "assessment_round"] = None
    old_round = [not m and rng.random() < 0.15 for m in missing_round]  # five years before the rest
    kept.loc[old_round, "assessment_round"] = "2018-19"
    synthetic = rng.random() < 0.5
    kept["synthetic"] = synthetic
    budgets = b[b["ministry_code"].isin(ministries)]
    budgets = budgets[[rng.random() < 0.5 for _ in range(len(budgets))]]
    if rng.random() < 0.5 and len(budgets):  # a later year only one ministry reports
        one = budgets[budgets["ministry_code"] == rng.choice(sorted(set(budgets["ministry_code"])))]
        later = one.drop_duplicates("programme").assign(fiscal_year="2025-26")
        budgets = pd.concat([budgets, later.assign(source_row=later["source_row"] + 10_000)], ignore_index=True)
    folder.mkdir(parents=True)
    pq.write_table(pa.Table.from_pandas(kept, schema=ASSESSMENT_ARROW_SCHEMA, preserve_index=False),
                   folder / "assessments.parquet")
    pq.write_table(pa.Table.from_pandas(budgets, schema=BUDGET_ARROW_SCHEMA, preserve_index=False),
                   folder / "budgets.parquet")
    # a quarantined line naming a ministry and one naming none, in a file the first two share
    shared = kept["source_file"].iloc[0]
    moved = (kept["ministry_code"] == ministries[1]).to_numpy() & (kept.index != len(kept) - 1)
    kept.loc[moved, "source_row"] = kept.loc[moved, "source_row"] + 1_000
    kept.loc[moved, "source_file"] = shared
    q = bundled.quarantine.iloc[0:0]
    lines = pd.DataFrame({"source_file": shared, "source_sheet": "", "source_row": [90, 91],
                          "column": ["programme", "programme"],
                          "value": [f"{kept['ministry'].iloc[0]} | 2010-11 | ongoing", "zzz | Yes"],
                          "reason": "row not used: no programme name (synthetic)"})
    pd.concat([q, lines], ignore_index=True).to_csv(folder / "quarantine.csv", index=False)
    for name in ("coverage_by_sex.parquet", "coverage_quality.parquet", "coverage_women_share.parquet"):
        if (source / name).exists():
            shutil.copy(source / name, folder / name)
    with contextlib.redirect_stdout(io.StringIO()):
        assert run_score(folder) == 0
    cluster = kept["cluster"].dropna().value_counts().index[0]
    return folder, ministries, str(cluster)


@dataclass(frozen=True)
class GeneratedSite(Site):
    """Every report of one generated dataset, both languages (:func:`generated_site`):
    the :class:`Site` of that dataset, with its seed, ministries and largest cluster."""

    seed: int = 0
    ministries: tuple[str, ...] = ()
    cluster: str = ""


def generated_site(tmp_path_factory: pytest.TempPathFactory, bundled_mis: Path, seed: int,
                   languages: tuple[str, ...] = ("all",)) -> GeneratedSite:
    """Every page of the dataset of ``seed`` rendered by the real notebooks in
    ``languages`` (`nsss reports --all --language ...`; default both), once per run,
    seed and languages, whichever test asks first (a site costs a minute or more to
    render on a busy machine)."""
    from nsss_analysis.runner.manifest import read_manifest
    from nsss_analysis.runner.run import run_reports

    def build(base: Path) -> None:
        base.mkdir(parents=True)
        processed, ministries, cluster = generated_dataset(seed, base / "processed", bundled_mis)
        (base / "dataset.txt").write_text("\n".join([cluster, *ministries]), encoding="utf-8")
        with contextlib.redirect_stdout(io.StringIO()):
            assert run_reports(site_request(processed, base / "reports", force=True, languages=languages)) == 0

    base = built_once(tmp_path_factory, f"generated-site-{seed}-{'-'.join(languages)}", build)
    cluster, *ministries = (base / "dataset.txt").read_text(encoding="utf-8").splitlines()
    out = base / "reports"
    return GeneratedSite(out, read_manifest(out)["reports"], base / "processed", seed, tuple(ministries), cluster)
