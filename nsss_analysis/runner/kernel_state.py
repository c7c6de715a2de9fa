"""Runs inside each report kernel: warm it up once, and put it back to a clean state
before every report.

A warm kernel serves many reports; ``%reset -f`` empties the namespace but not what
lives in modules (pandas options, matplotlib's rcParams and so seaborn's theme,
warning filters, the working directory, environment, ``sys.path``, random seeds).
:func:`boot` records that state once the heavy modules are imported; :func:`reset`
restores it. This module's globals survive ``%reset -f``, which is why the state is
kept here. :mod:`nsss_analysis.runner.kernel` sends the two calls to the kernel.
"""

from __future__ import annotations

import os
import random
import sys
import warnings
from dataclasses import dataclass


@dataclass
class _CleanState:
    cwd: str
    environ: dict[str, str]
    path: list[str]
    warning_filters: list
    rc: dict | None


_state: _CleanState | None = None


def warm_up() -> None:
    """Import what every report needs, once per kernel: seaborn and statsmodels take
    over a second each, the package's report modules most of another."""
    import matplotlib.pyplot as plt
    import numpy  # noqa: F401
    import pandas  # noqa: F401
    import seaborn  # noqa: F401
    import statsmodels.api  # noqa: F401

    # The report notebooks' own imports, made here so the first report does not pay them.
    from nsss_analysis.diagnostics import summaries  # noqa: F401
    from nsss_analysis.report import (  # noqa: F401
        display,
        figures,
        headline_text,
        method_note,
        notices,
        phrases,
        sections,
    )

    # Load the backend now, as a report's first figure would: the inline backend
    # switches interactive mode on when it loads, and that belongs to the clean state.
    plt.close(plt.figure())


def boot(warm: bool = True) -> None:
    """Warm the kernel up (unless ``warm`` is False) and record its clean state."""
    global _state
    if warm:
        warm_up()
    rc = None
    if "matplotlib" in sys.modules:
        rc = dict(sys.modules["matplotlib"].rcParams.copy())  # raw values, no validation
    _state = _CleanState(os.getcwd(), dict(os.environ), list(sys.path), list(warnings.filters), rc)


def reset(seed: int) -> None:
    """Put the kernel back as it was after :func:`boot` (the namespace itself is
    emptied by ``%reset -f`` just before) and seed ``random`` and numpy."""
    if _state is None:
        boot(warm=False)
    state = _state
    assert state is not None  # boot() records it
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
    if "nsss_analysis.reference.i18n" in sys.modules:  # a Bangla report leaves no Bangla behind
        sys.modules["nsss_analysis.reference.i18n"].forget_language()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if "pandas" in sys.modules:
            sys.modules["pandas"].reset_option("all")
        if "matplotlib" in sys.modules:
            mpl = sys.modules["matplotlib"]
            if state.rc is None:
                mpl.rc_file_defaults()
            else:  # the seaborn theme lives in rcParams too
                dict.update(mpl.rcParams, state.rc)
    os.chdir(state.cwd)
    os.environ.clear()
    os.environ.update(state.environ)
    sys.path[:] = state.path
    # resetwarnings() also forgets which warnings were already shown (each module's
    # registry is invalidated), so a report sees the same warnings as in a new kernel.
    warnings.resetwarnings()
    warnings.filters[:] = state.warning_filters  # type: ignore[index]  # typeshed: a Sequence; it is a list
    random.seed(seed)
    if "numpy" in sys.modules:
        sys.modules["numpy"].random.seed(seed)
    from IPython import get_ipython

    shell = get_ipython()
    if shell is not None:
        # A new history session, as in a fresh kernel: In [1] again, without clashing
        # with the previous report's line numbers in the history database.
        shell.history_manager.reset(new_session=True)
        shell.execution_count = 1
