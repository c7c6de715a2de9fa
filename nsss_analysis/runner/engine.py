"""A papermill engine that runs a notebook in an already running, warm kernel.

Papermill's engine interface (``papermill.engines.Engine``) passes keyword arguments
through to ``execute_managed_notebook``, so it can carry a live kernel: this engine
gets the :class:`~nsss_analysis.runner.kernel.WarmKernel`'s manager and client
instead of starting a kernel, and papermill's ``NotebookExecutionManager`` records
its usual per-cell metadata. It is not registered under papermill's
``papermill.engine`` entry point: papermill loads every registered engine while it is
itself being imported, and this module imports papermill, so registering it makes
``import papermill`` circular; the runner calls the class directly.

What it does not use is ``papermill.execute_notebook`` around it: on a failed cell
that call raises ``PapermillExecutionError`` without handing back the executed
notebook, and writes the output itself, not atomically. The runner needs the executed
notebook in hand to write it and its HTML atomically and to render a failed report
with papermill's error marker, so it parameterises (``prepare_only``) and marks
errors (``raise_for_execution_errors``) itself, around this engine.
Both run the same nbclient code as the hand-driven client this replaced, so a run
takes the same time (the regeneration benchmark, ``benchmarks/regenerate.py``, holds it).
"""

from __future__ import annotations

import logging
import time

from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import Engine

_nbclient_log = logging.getLogger("nsss.executor.nbclient")
_nbclient_log.propagate = False
_nbclient_log.addHandler(logging.NullHandler())


class WarmKernelEngine(Engine):
    """Execute the managed notebook in the kernel given as ``km``/``kc``, with one
    deadline for the whole notebook (``deadline``, a ``time.monotonic()`` value)."""

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, km=None, kc=None, deadline=None, **kwargs):
        if km is None or kc is None:
            raise ValueError("the nsss-warm engine runs only in a kernel the runner started (km and kc)")
        client = PapermillNotebookClient(
            nb_man,
            km=km,
            kernel_name=kernel_name,
            timeout_func=lambda cell: max(1, int(deadline - time.monotonic() + 0.999)),
            log=_nbclient_log,
        )
        client.kc = kc
        return client.execute()
