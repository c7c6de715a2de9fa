"""What the tests share: data built in memory (``frames``, ``figure_data``,
``narrative_tables``), processed tables and stand-in notebooks (``processed``), the
session's build-once folders (``once``), rendered pages (``pages``) and the browser
(``browser``). The session fixtures that use them are in tests/conftest.py.

Test modules import from here, never from one another.
"""
