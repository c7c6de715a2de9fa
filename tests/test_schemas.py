"""Every processed table has a pandera schema, and the bundled data's tables pass theirs."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from nsss_analysis.cli import main
from nsss_analysis.config import RAW_DIR
from nsss_analysis.diagnostics.schemas import SCHEMAS as DIAGNOSTICS_SCHEMAS
from nsss_analysis.diagnostics.schemas import validate_output
from nsss_analysis.intake.schemas import AssessmentSchema, BudgetSchema, ConflictSchema, QuarantineSchema, validate
from nsss_analysis.io import current_generation, load_processed
from nsss_analysis.mis.schemas import SCHEMAS as MIS_SCHEMAS
from nsss_analysis.mis.schemas import validate_coverage

INTAKE_SCHEMAS = {"assessments": AssessmentSchema, "budgets": BudgetSchema, "quarantine": QuarantineSchema,
                  "conflicts": ConflictSchema}


@pytest.fixture(scope="module")
def processed(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("data") / "processed"
    assert main(["clean", "--raw", str(RAW_DIR), "--out", str(out)]) == 0
    assert main(["score", "--processed", str(out)]) == 0
    extracts = sorted(str(p) for p in (RAW_DIR / "mis").glob("*") if p.suffix in (".csv", ".parquet"))
    assert main(["beneficiaries", *extracts, "--out", str(out)]) == 0
    return out


def test_every_processed_table_has_a_schema_and_passes_it(processed):
    tables = sorted(p for p in current_generation(processed).iterdir() if p.suffix in (".parquet", ".csv"))
    assert len(tables) >= 17
    for path in tables:
        name = path.stem
        if name in INTAKE_SCHEMAS:
            validate(load_processed(name, processed) if path.suffix == ".parquet" else _csv(path), INTAKE_SCHEMAS[name])
        elif name in DIAGNOSTICS_SCHEMAS:
            validate_output(name, pd.read_parquet(path))
        elif name in MIS_SCHEMAS:
            validate_coverage(name, pd.read_parquet(path))
        else:
            pytest.fail(f"{path.name}: a processed table without a schema")


def _csv(path: Path) -> pd.DataFrame:
    df = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    for column in ("source_row", "conflict"):
        if column in df.columns:
            df[column] = pd.to_numeric(df[column]).astype("int64")
    return df.replace("", None) if path.stem == "conflicts" else df


def test_a_share_outside_0_1_or_an_interval_without_its_share_fails_the_schema(processed):
    levels = pd.read_parquet(current_generation(processed) / "indicator_level_shares.parquet")
    broken = levels.assign(share=levels["share"].where(levels["share"].isna(), 1.5))
    with pytest.raises(Exception, match="indicator_level_shares table failed its schema check"):
        validate_output("indicator_level_shares", broken)
    orphan = levels.assign(share=float("nan"), ci_low=0.1, ci_high=0.2)
    with pytest.raises(Exception, match="schema check"):
        validate_output("indicator_level_shares", orphan)
