"""What a report shows: figures, sentences (``headline_text``, ``readings``,
``quality_text``, ``trend_text``, ``model_text``, ``coverage_text`` and ``notices``
write them from the pieces of ``phrases``, and compute the few figures they state
beyond the diagnostics': the funnel, counts and shares), the top of a page
(``page_top``, ``comparison``), the programme cards (``cards``, ``card_parts``,
``card_quality``), the tracker (``submissions``), the cluster page (``cluster_page``),
the method note, escaped HTML display helpers and sections for the notebooks."""
