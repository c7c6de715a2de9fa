"""The report pool when its worker processes die: the report a dead worker was running
fails naming its exit code, a replacement takes its place (a bounded number of times),
and with no worker left every report not done fails with one line. The processes here
are stand-ins (no kernel, no notebook): only the pool's bookkeeping is under test."""

from __future__ import annotations

import pytest

from nsss_analysis.runner.pool import ReportJob, WorkerPool


class DeadProcess:
    """A worker process that has already exited (as one killed with -9 has)."""

    exitcode = -9

    def is_alive(self) -> bool:
        return False

    def terminate(self) -> None:
        pass

    def kill(self) -> None:
        pass

    def join(self, timeout: float | None = None) -> None:
        pass


def job(key: str, tmp_path) -> ReportJob:
    return ReportJob(key=key, notebook="unused.ipynb", parameters={}, ipynb_path=str(tmp_path / f"{key}.ipynb"),
                     html_path=str(tmp_path / f"{key}.html"), title=key)


@pytest.fixture
def pool(tmp_path, monkeypatch):
    """A pool of ``workers`` stand-in processes that are all dead; each replacement is dead too."""
    made = WorkerPool(workers=2, kernel_cwd=tmp_path)
    spawned: list[int] = []

    def spawn() -> None:
        spawned.append(made._next_id)
        made._procs[made._next_id] = DeadProcess()
        made._next_id += 1

    monkeypatch.setattr(made, "_spawn", spawn)
    made.spawned = spawned  # type: ignore[attr-defined]
    yield made
    made.close(abort=True)


def test_a_dead_worker_fails_its_report_and_replacements_stop_at_twice_the_workers(pool, tmp_path):
    jobs = [job("a", tmp_path), job("b", tmp_path), job("c", tmp_path)]
    pool.start()
    assert len(pool.spawned) == 2
    pool._results.put(("started", 0, "a"))  # worker 0 took report a, then died
    results = pool.run(jobs, progress=False)

    assert [r.key for r in results] == ["a", "b", "c"]
    assert all(r.status == "failed" for r in results)
    assert results[0].error == "the worker process died (exit code -9)"
    assert {r.error for r in results[1:]} == {"no worker process left to run it"}
    assert len(pool.spawned) == 2 + 2 * pool.workers  # the first two, then at most 2 x workers replacements


def test_no_replacement_once_every_report_is_done_or_running(pool, tmp_path):
    pool.start()
    pool._results.put(("started", 0, "only"))
    results = pool.run([job("only", tmp_path)], progress=False)

    assert [(r.key, r.status, r.error) for r in results] == [
        ("only", "failed", "the worker process died (exit code -9)")]
    assert len(pool.spawned) == 2  # nothing left to run: no worker started in a dead one's place
