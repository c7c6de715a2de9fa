"""NSSS gender diagnostics workbench.

The package is in layers that follow the data's journey; imports only point down this
list (``tests/test_architecture.py`` holds it, and ``tests/test_docs.py`` that every
module named here exists):

- shared: ``config`` (where files are), ``errors`` (the one-line error), ``io``
  (atomic writes, loading the processed tables);
- ``reference``: what the words mean: the register of ministries (``ministries``), the
  vocabularies (``vocab``), names (``names``), the words of each language (``i18n``,
  ``glossary``) and its numbers (``numbers``);
- ``intake``: a ministry's file becomes rows of the processed tables: ``files``,
  ``forms``, ``cells``, ``quantities``, ``reasons``, ``clean`` (and the quarantine),
  ``schemas``, ``template`` (the blank form);
- ``diagnostics``: what the rows say: ``rubric`` (the policy), ``scoring``,
  ``intervals``, ``indicators``, ``budgets``, ``models``, ``trends``,
  ``recommendations``, ``summaries`` (every table of one report);
- ``mis``: who the programmes pay, by sex, from MIS extracts (``extracts``,
  ``coverage``, counted with DuckDB);
- ``report``: how a page shows it: ``figures``; the sentences (``phrases``, the
  pieces they share; ``headline_text``, ``readings``, ``quality_text``, ``trend_text``,
  ``model_text``, ``coverage_text``, ``notices``), ``wording``, ``display`` (escaped
  HTML), ``sections``; the ministry page's top (``page_top``, ``comparison``), its
  programme cards (``cards``, ``card_parts``, ``card_quality``), ``submissions`` (the
  tracker), ``cluster_page``; ``method_note``;
- ``runner``: which pages to (re)render, in warm kernels: ``plan``, ``render``,
  ``pool``, ``index``, ``html``, ``manifest``;
- ``commands`` (the stages' entry points) and ``cli`` (the command line).
"""

__version__ = "0.1.0"
