"""A seeded property test: many small random datasets, built from the bundled
(synthetic) rows, rendered and checked by every rule of the claims ledger.

The generator (tests/support/generated.py): each dataset keeps 1-6 programmes of a few
ministries, gives some programmes two differing forms of one round with no received date (disputed, or told apart by a
revision word, a version or a date in the file name), drops the round of some rows and
puts others five years back, keeps a sparse random subset of the budget rows across
years (sometimes with a later year only one ministry reports), puts two ministries'
rows in one file with a quarantined line naming one of them and one naming none,
carries the bundled MIS extracts (a programme with 4 men and 2 hijra beneficiaries)
and is marked synthetic or not at random. The pages are executed in this process
(the template's own cells; no kernel), a handful per dataset, in English or Bangla."""

from __future__ import annotations

import pytest

from tests.support.claims_pages import run_page_in_process, split_pending, violations_of
from tests.support.generated import MIS_MINISTRY, generated_dataset

pytestmark = pytest.mark.slow

SEEDS = range(6)
@pytest.mark.parametrize("seed", SEEDS)
def test_every_rule_holds_on_pages_of_a_generated_dataset(seed, tmp_path, bundled_mis):
    processed, ministries, cluster = generated_dataset(seed, tmp_path / "processed", bundled_mis)
    language = ("en", "bn")[seed % 2]
    small = ministries[1 + seed % (len(ministries) - 1)]
    pages = [("national", None), ("ministry", MIS_MINISTRY), ("ministry", small), ("cluster", cluster)]
    broken, pending = [], set()
    for kind, name in pages:
        ledger = run_page_in_process(processed, tmp_path, kind, language, name)
        assert ledger.claims, f"{kind} {name}: no figure recorded"
        failing, reasons = split_pending(violations_of(ledger, processed))
        broken += [v.line(ledger.page) for v in failing]
        pending |= set(reasons)
    assert not broken, f"seed {seed} ({language}):\n" + "\n".join(broken)
    if pending:
        pytest.xfail("; ".join(sorted(pending)))
