"""Every plot of the reports: functions taking DataFrames, returning a Matplotlib Figure.

See :mod:`.style` for the conventions every figure follows.
"""

from nsss_analysis.report.figures.coverage import (
    amount_by_sex,
    coverage_by_age_band,
    coverage_by_district,
    payment_channel_by_sex,
    women_share_points,
)
from nsss_analysis.report.figures.national import (
    coverage_gaps,
    levels_by_unit,
    mean_score_by_unit,
    model_coefficients,
    share_by_unit,
    trend_by_round,
)
from nsss_analysis.report.figures.programmes import (
    budget_and_women_share,
    item_heatmap,
    item_yes_comparison,
    level_comparison,
    lifecycle_heatmap,
)
from nsss_analysis.report.figures.style import no_data, set_theme

__all__ = [
    "set_theme",
    "no_data",
    "item_heatmap",
    "level_comparison",
    "item_yes_comparison",
    "lifecycle_heatmap",
    "budget_and_women_share",
    "women_share_points",
    "coverage_by_age_band",
    "coverage_by_district",
    "amount_by_sex",
    "payment_channel_by_sex",
    "levels_by_unit",
    "mean_score_by_unit",
    "share_by_unit",
    "coverage_gaps",
    "model_coefficients",
    "trend_by_round",
]
