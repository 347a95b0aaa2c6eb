"""Where tasks run: in this process, in local worker processes, or on a Dask cluster.

A backend takes a function and tasks and yields the results as they finish, in any order. It knows
nothing about sweeps, and sweeps know nothing about it beyond this (as in the EMA workbench: what to
run kept apart from where it runs). Results do not depend on the backend: every task carries its own
seeds and is written under its own name.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from leadsim.extras import import_extra
from leadsim.sweeps.design import SweepError

Fn = Callable[[Any], Any]
LOST_WORKER = (
    "{where} died before finishing its task (killed, or out of memory?); the finished "
    "runs are saved: run the same command with --resume"
)


def default_workers() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class Backend:
    """Runs a function over tasks; a context manager that always cleans up its workers."""

    name = "backend"

    def imap_unordered(self, fn: Fn, tasks: Iterable[Any]) -> Iterator[Any]:
        """Yield ``fn(task)`` for every task, in the order they finish."""
        raise NotImplementedError

    def close(self) -> None:
        """Stop workers and release resources (idempotent)."""

    def __enter__(self) -> Backend:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class SerialBackend(Backend):
    """Every task in this process, one after the other (one worker; easiest to debug)."""

    name = "this process"

    def imap_unordered(self, fn: Fn, tasks: Iterable[Any]) -> Iterator[Any]:
        """Yield ``fn(task)`` for each task in turn."""
        for task in tasks:
            yield fn(task)


def _ignore_sigint() -> None:
    # Ctrl-C reaches the whole process group; the driver alone decides what to do with it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class LocalBackend(Backend):
    """Worker processes on this machine.

    Started with forkserver where available, else spawn; never fork, which can hang when the
    parent has threads (one of the known ``mesa.batch_run`` pitfalls).
    """

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.name = f"{workers} local worker processes"
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
        if context.get_start_method() == "forkserver":
            # import the model once in the server; each worker forks from it ready to run
            context.set_forkserver_preload(["leadsim.sweeps.runner"])
        self._pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_ignore_sigint)
        self._closed = False

    def imap_unordered(self, fn: Fn, tasks: Iterable[Any]) -> Iterator[Any]:
        """Yield results as workers finish; only a few tasks are queued at a time."""
        window = 2 * self.workers
        pending: set[Future] = set()
        todo = iter(tasks)
        try:
            for task in todo:
                pending.add(self._pool.submit(fn, task))
                if len(pending) < window:
                    continue
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                yield from (f.result() for f in done)
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                yield from (f.result() for f in done)
        except BrokenProcessPool:
            raise SweepError(LOST_WORKER.format(where="a local worker process")) from None

    def close(self) -> None:
        """Stop the workers now, even mid-task (finished results are already written)."""
        if self._closed:
            return
        self._closed = True
        # ProcessPoolExecutor cannot stop a running task before Python 3.14; terminate its workers.
        for process in list(getattr(self._pool, "_processes", {}).values()):
            if process.is_alive():
                process.terminate()
        self._pool.shutdown(wait=True, cancel_futures=True)


class DaskBackend(Backend):
    """An existing Dask distributed cluster, reached through its scheduler's address.

    A worker lost mid-task is the scheduler's business: it runs the task again elsewhere, and the
    driver still receives exactly one result per task.
    """

    def __init__(self, address: str, connect_timeout: float = 5.0) -> None:
        Client = import_extra("distributed", "dask", "--scheduler (a Dask cluster)").Client

        self.address = address
        self.name = f"Dask cluster at {address}"
        try:
            self._client = Client(address, timeout=connect_timeout, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as exc:
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise SweepError(
                f"cannot reach the Dask scheduler at {address} within {connect_timeout:g} s: {reason}"
            ) from None
        self._futures: set[Any] = set()

    def imap_unordered(self, fn: Fn, tasks: Iterable[Any]) -> Iterator[Any]:
        """Yield results as the cluster finishes them; a window of tasks is queued at a time."""
        from distributed import KilledWorker, as_completed

        threads = sum(self._client.nthreads().values()) or 1
        window = max(4, 2 * threads)
        todo = iter(tasks)
        queue = as_completed(loop=self._client.loop)
        for task in todo:
            queue.add(self._submit(fn, task))
            if queue.count() >= window:
                break
        for future in queue:
            try:
                result = future.result()
            except KilledWorker:
                raise SweepError(LOST_WORKER.format(where="Dask worker after Dask worker")) from None
            self._futures.discard(future)
            future.release()
            next_task = next(todo, None)
            if next_task is not None:
                queue.add(self._submit(fn, next_task))
            yield result

    def _submit(self, fn: Fn, task: Any) -> Any:
        future = self._client.submit(fn, task, pure=False)
        self._futures.add(future)
        return future

    def close(self) -> None:
        """Cancel what is still queued and disconnect (the cluster itself keeps running)."""
        client = getattr(self, "_client", None)
        if client is None:
            return
        self._client = None
        try:
            pending = [f for f in self._futures if not f.done()]
            if pending:
                client.cancel(pending)
        finally:
            client.close()


def make_backend(
    workers: int | None = None, scheduler: str | None = None, connect_timeout: float = 5.0
) -> Backend:
    """The backend for ``--workers`` / ``--scheduler``.

    Args:
        workers: local worker processes (default: the cores); 1 runs in this process.
        scheduler: a Dask scheduler address, ``tcp://HOST:PORT``; overrides ``workers``.
        connect_timeout: seconds to wait for the scheduler.

    Raises:
        SweepError: bad worker count, or the scheduler cannot be reached in time.
    """
    if scheduler:
        return DaskBackend(scheduler, connect_timeout)
    workers = default_workers() if workers is None else workers
    if workers < 1:
        raise SweepError(f"--workers: must be at least 1 (got {workers})")
    return SerialBackend() if workers == 1 else LocalBackend(workers)
