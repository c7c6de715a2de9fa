"""Diagnostics: from the processed tables to scores, levels, indicators, models and
recommendations. Pure functions over DataFrames; ``rubric`` holds the policy."""
