"""What a report shows: figures, sentences (``narrative`` writes them and computes
the few figures they state beyond the diagnostics': the funnel, counts and shares),
escaped HTML display helpers and sections for the notebooks."""
