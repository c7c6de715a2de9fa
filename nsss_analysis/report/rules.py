"""The honest-statement rules, as code over a page's claims ledger.

One function per rule (docs/method.md, "The claims ledger"); each takes the page's
claims (:class:`nsss_analysis.report.claims.Claim`) and returns the violations it finds,
one :class:`Violation` per offending claim, with a one-line message. :func:`check` runs
them all; :func:`enforce` fails (tests, ``NSSS_CLAIM_RULES=strict``) or logs one
warning line per violation (production), never silently passes a broken page.
"""

from __future__ import annotations

import logging
import os
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from nsss_analysis.diagnostics.summaries import is_synthetic
from nsss_analysis.diagnostics.tracker import line_ids
from nsss_analysis.errors import NsssError
from nsss_analysis.report.claims import Claim, Ledger, with_rules

log = logging.getLogger("nsss.claims")

#: Environment variable: ``strict`` makes a broken rule fail the render (the tests set
#: it); anything else logs one warning line per violation.
STRICT_ENV = "NSSS_CLAIM_RULES"

#: Fewer than this many people or programmes: a count, never a percentage.
MIN_PERCENT_N = 5
#: No interval from fewer than this many observations.
MIN_INTERVAL_N = 3
#: A difference is stated only with at least this many on both sides.
MIN_COMPARISON_N = 5

#: Blocks whose figures must share one fiscal year and one round (a headline and what
#: is quoted beside it).
HEADLINE_PREFIX = "headline"
#: The printers of the amounts quoted beside the changes a page asks for (its first
#: screen and its headline's quick wins): each of the page's one budget year.
QUOTED_AMOUNTS = ("first_screen.asks", "narrative.quick_wins")


class ClaimRuleError(NsssError):
    """A page printed a claim that breaks a rule (strict mode)."""


@dataclass(frozen=True)
class Violation:
    rule: str
    claim_id: str
    text: str
    message: str
    where: str | None = None  # the printer that made the claim

    def line(self, page: str = "") -> str:
        where = f"{page}: " if page else ""
        by = f" ({self.where})" if self.where else ""
        return f"{where}rule {self.rule}: {self.text!r} [{self.claim_id}]{by} {self.message}"


def _v(rule: str, claim: Claim, message: str) -> Violation:
    return Violation(rule, claim.id, claim.text, message, claim.where)


# --- one function per rule ---------------------------------------------------------------


def counted_once(claims: Sequence[Claim]) -> list[Violation]:
    """No programme twice in one claim; a comparator (the national figure beside a
    unit's) that names its round names one of the unit's rounds in its block."""
    out = []
    for c in claims:
        seen: set[str] = set()
        twice: set[str] = set()
        for key in c.programmes:
            (twice if key in seen else seen).add(key)
        if twice:
            out.append(_v("counted_once", c, f"counts {', '.join(sorted(twice))} more than once"))
    by_block: dict[str, list[Claim]] = defaultdict(list)
    for c in claims:
        if c.block:
            by_block[c.block].append(c)
    for block in by_block.values():
        rounds = {c.round for c in block if c.role == "unit" and c.round}
        for c in block:
            if c.role == "comparator" and rounds and c.round and c.round not in rounds:
                out.append(_v("counted_once", c, f"comparator from round {c.round}, "
                                                  f"the unit's is {', '.join(sorted(rounds))}"))
    return out


def one_year_one_round(claims: Sequence[Claim]) -> list[Violation]:
    """Every figure of one headline block from one fiscal year and one round, and a
    round or year named for a set only when every programme of the set is in it."""
    out = []
    by_block: dict[str, list[Claim]] = defaultdict(list)
    for c in claims:
        if c.block and c.block.startswith(HEADLINE_PREFIX):
            by_block[c.block].append(c)
    for name, block in by_block.items():
        for field in ("fiscal_year", "round"):
            values = Counter(getattr(c, field) for c in block if getattr(c, field))
            if len(values) < 2:
                continue
            main = values.most_common(1)[0][0]  # the block's own year or round
            words = field.replace("_", " ")
            out += [_v("one_year_one_round", c, f"{words} {getattr(c, field)} in block {name}, whose {words} is {main}")
                    for c in block if getattr(c, field) and getattr(c, field) != main]
    out += _quoted_amounts(claims)
    for c in claims:
        if c.unit in ("round", "fiscal_year") and c.denominator is not None and c.numerator is not None \
                and c.numerator != c.denominator:
            out.append(_v("one_year_one_round", c, f"names a {c.unit.replace('_', ' ')} that only "
                                                    f"{c.numerator:g} of {c.denominator:g} have"))
    return out


def _quoted_amounts(claims: Sequence[Claim]) -> list[Violation]:
    """The amounts quoted beside the changes asked for (first screen, quick wins) carry
    their fiscal year, and it is the page's one budget year: the headline's year where
    the page has one, else the year most of them give."""
    quoted = [c for c in claims if c.unit == "crore" and c.text and (c.where or "") in QUOTED_AMOUNTS]
    out = [_v("one_year_one_round", c, "an amount quoted beside the asks without its fiscal year")
           for c in quoted if not c.fiscal_year]
    headline = Counter(c.fiscal_year for c in claims
                       if c.block and c.block.startswith(HEADLINE_PREFIX) and c.fiscal_year)
    years = headline or Counter(c.fiscal_year for c in quoted if c.fiscal_year)
    if not years:
        return out
    main = years.most_common(1)[0][0]
    return out + [_v("one_year_one_round", c, f"an amount of FY {c.fiscal_year} quoted beside a page of FY {main}")
                  for c in quoted if c.fiscal_year and c.fiscal_year != main]


def small_denominators(claims: Sequence[Claim]) -> list[Violation]:
    """A share whose denominator is under 5 is a count, not a percentage (text, tables
    and chart labels); a chart draws no mean, interval or percentage bar for fewer
    than 5 (so no 100% bar for a unit of one or two programmes)."""
    out = []
    for c in claims:
        drawn_estimate = (c.where or "").startswith("figure") and (c.unit == "mean" or c.low is not None)
        if drawn_estimate and c.n is not None and c.n < MIN_PERCENT_N:
            out.append(_v("small_denominators", c, f"a mean or interval drawn for n = {c.n}: draw the values"))
            continue
        drawn_bar = (c.where or "").startswith("figure") and c.unit == "percent" and not c.text
        if drawn_bar and c.n is not None and c.n < MIN_PERCENT_N:  # a bar of a share of 1, 2 ... programmes
            out.append(_v("small_denominators", c, f"a percentage bar drawn for n = {c.n}: write the counts"))
            continue
        if c.unit != "percent" or not c.text:
            continue
        base = c.denominator if c.denominator is not None else c.n
        if base is not None and base < MIN_PERCENT_N:
            out.append(_v("small_denominators", c, f"a percentage of {base:g}: write it as a count"))
    return out


def intervals(claims: Sequence[Claim]) -> list[Violation]:
    """No interval of zero width, none drawn from fewer than 3 observations."""
    out = []
    for c in claims:
        if c.low is None or c.high is None:
            continue
        if not float(c.high) > float(c.low):
            out.append(_v("intervals", c, f"interval of zero width ({c.low:g} to {c.high:g})"))
        elif c.n is not None and c.n < MIN_INTERVAL_N:
            out.append(_v("intervals", c, f"interval from n = {c.n}"))
    return out


def comparisons(claims: Sequence[Claim]) -> list[Violation]:
    """A difference (above, below, lowest, highest) only with n >= 5 on both sides and
    95% intervals that do not overlap."""
    out = []
    for c in claims:
        if c.unit != "difference":
            continue
        other = c.versus or (None, None, None, None)
        _, n_other, low_other, high_other = (tuple(other) + (None,) * 4)[:4]
        if c.n is None or n_other is None or min(c.n, n_other) < MIN_COMPARISON_N:
            out.append(_v("comparisons", c, f"a difference stated at n = {c.n} against {n_other}"))
        elif None in (c.low, c.high, low_other, high_other):
            out.append(_v("comparisons", c, "a difference stated without both intervals"))
        elif c.low <= high_other and low_other <= c.high:
            out.append(_v("comparisons", c, f"a difference stated where the intervals overlap "
                                             f"({c.low:g}-{c.high:g} and {low_other:g}-{high_other:g})"))
    return out


#: The first percentage a claim's text prints (Latin or Bangla digits, grouping kept).
_PERCENT_TEXT = re.compile(r"([0-9\u09e6-\u09ef][0-9\u09e6-\u09ef,]*(?:\.[0-9\u09e6-\u09ef]+)?)\s*%")
_BANGLA_DIGITS = str.maketrans("\u09e6\u09e7\u09e8\u09e9\u09ea\u09eb\u09ec\u09ed\u09ee\u09ef", "0123456789")


def exact_extremes(claims: Sequence[Claim]) -> list[Violation]:
    """A share is never printed as 0% or 100% unless it is exactly so ("99.6%",
    "under 1%"): in a sentence, a table cell or a chart label."""
    out = []
    for c in claims:
        if c.unit not in ("percent", "money_share") or not c.text or c.value is None:
            continue
        try:
            value = float(c.value)
        except (TypeError, ValueError):
            continue
        m = _PERCENT_TEXT.search(c.text)
        if not m:
            continue
        printed = float(m.group(1).translate(_BANGLA_DIGITS).replace(",", ""))
        share = value / 100 if value > 1 else value
        if printed in (0.0, 100.0) and share not in (0.0, 1.0):
            out.append(_v("exact_extremes", c, f"a share of {share:.4g} printed as {printed:g}%"))
    return out


def synthetic_notice(claims: Sequence[Claim], synthetic: bool | None) -> list[Violation]:
    """The data are called synthetic exactly when the processed tables say so (the
    ``SYNTHETIC`` marker): a notice on real data, or none on synthetic data, fails."""
    if synthetic is None:
        return []
    notices = [c for c in claims if c.unit == "synthetic"]
    if notices and not synthetic:
        return [_v("synthetic_notice", c, "calls real data synthetic") for c in notices]
    if synthetic and not notices and claims:
        first = claims[0]
        return [Violation("synthetic_notice", first.id, first.text,
                          "the data are synthetic but the page does not say so")]
    return []


def lineage_counts(claims: Sequence[Claim], known_sources: Iterable[str] | None = None) -> list[Violation]:
    """A count of files or lines is the number of distinct lineage sources behind it
    (a file that holds several ministries' rows is one file), each one on record."""
    known = set(known_sources) if known_sources is not None else None
    out = []
    for c in claims:
        if c.unit not in ("files", "lines"):
            continue
        distinct = set(c.sources)
        if len(distinct) != len(c.sources):
            out.append(_v("lineage_counts", c, "counts one source more than once"))
        elif c.value is not None and float(c.value) != len(distinct):
            out.append(_v("lineage_counts", c, f"says {c.value} but {len(distinct)} distinct sources are behind it"))
        elif known is not None and not distinct <= known:
            missing = sorted(distinct - known)[:3]
            out.append(_v("lineage_counts", c, f"names sources not in the lineage: {', '.join(missing)}"))
    return out


#: Every rule, by name (the synthetic and lineage rules take the tables' facts).
RULES: dict[str, Callable[..., list[Violation]]] = {
    "counted_once": counted_once,
    "one_year_one_round": one_year_one_round,
    "small_denominators": small_denominators,
    "intervals": intervals,
    "comparisons": comparisons,
    "exact_extremes": exact_extremes,
    "synthetic_notice": synthetic_notice,
    "lineage_counts": lineage_counts,
}


def facts_of(tables) -> dict:
    """What the synthetic and lineage rules read from the processed tables."""
    sources: set[str] = set()
    for name in ("assessments", "quarantine", "budgets", "action_progress"):
        table = getattr(tables, name, None)
        if table is not None and "source_file" in table.columns:
            sources |= {str(s) for s in table["source_file"].dropna()}
    sources |= set(line_ids(getattr(tables, "quarantine", None)))  # each quarantined line, by lineage
    return {"synthetic": is_synthetic(tables.assessments), "known_sources": sources}


def check(claims: Sequence[Claim], synthetic: bool | None = None,
          known_sources: Iterable[str] | None = None) -> list[Violation]:
    """Every rule over ``claims``; an empty list when the page keeps them all."""
    claims = list(claims)
    return (counted_once(claims) + one_year_one_round(claims) + small_denominators(claims)
            + intervals(claims) + comparisons(claims) + exact_extremes(claims) + synthetic_notice(claims, synthetic)
            + lineage_counts(claims, known_sources))


def verdicts(ledger: Ledger, violations: Sequence[Violation]) -> Ledger:
    """The ledger with each claim's ``rules`` set to the rules it passed."""
    failed: dict[str, set[str]] = defaultdict(set)
    for v in violations:
        failed[v.claim_id].add(v.rule)
    ledger.claims = [with_rules(c, [r for r in RULES if r not in failed[c.id]]) for c in ledger.claims]
    return ledger


def strict() -> bool:
    return os.environ.get(STRICT_ENV, "").strip().lower() == "strict"


def enforce(violations: Sequence[Violation], page: str = "", strict_mode: bool | None = None,
            logger: logging.Logger | None = None) -> None:
    """Strict (tests): raise one error listing every violation. Otherwise: one warning
    line per violation in the log (``logger``: the runner's, whose file the run keeps)."""
    if not violations:
        return
    if strict() if strict_mode is None else strict_mode:
        raise ClaimRuleError("; ".join(v.line(page) for v in violations))
    for v in violations:
        (logger or log).warning(v.line(page))
