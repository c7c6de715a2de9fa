"""What each NSSS cluster is meant to reach: its life-cycle stages and target groups
(``clusters.csv``; the ``source`` column says it is the project's reading of the NSSS
clusters, to be verified)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache

from nsss_analysis.config import REFERENCE_DIR
from nsss_analysis.reference.vocab import CLUSTERS, LIFECYCLE_STAGES, TARGET_GROUPS


@dataclass(frozen=True)
class ClusterReach:
    cluster: str
    lifecycle_stages: tuple[str, ...]
    target_groups: tuple[str, ...]
    source: str


@lru_cache(maxsize=1)
def cluster_reach() -> dict[str, ClusterReach]:
    """Each cluster's intended reach, by cluster name; codes checked against the vocabularies."""
    out = {}
    with open(REFERENCE_DIR / "clusters.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            stages = tuple(s for s in row["lifecycle_stages"].split("|") if s)
            groups = tuple(g for g in row["target_groups"].split("|") if g)
            bad = [c for c in stages if c not in LIFECYCLE_STAGES] + [g for g in groups if g not in TARGET_GROUPS]
            if row["cluster"] not in CLUSTERS or bad:
                raise ValueError(f"clusters.csv: {row['cluster']!r}: unknown cluster or codes {bad}")
            out[row["cluster"]] = ClusterReach(row["cluster"], stages, groups, row["source"])
    return out
