"""The Dask path against a real ``dask scheduler`` and real ``dask worker`` processes."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from leadsim.sweeps import load_plan, load_runs, run_sweep
from sweep_helpers import parts, write_experiment

pytestmark = pytest.mark.dask
DASK = str(Path(sys.executable).with_name("dask"))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start(args: list[str], log: Path) -> subprocess.Popen:
    with open(log, "wb") as fh:
        return subprocess.Popen([DASK, *args], stdout=fh, stderr=subprocess.STDOUT, start_new_session=True)


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


@pytest.fixture
def cluster(tmp_path):
    """A scheduler and two single-threaded workers (no nanny: a killed worker stays dead)."""
    from distributed import Client

    address = f"tcp://127.0.0.1:{_free_port()}"
    procs = [
        _start(
            ["scheduler", "--host", "127.0.0.1", "--port", address.rsplit(":", 1)[1], "--no-dashboard"],
            tmp_path / "scheduler.log",
        )
    ]
    try:
        for i in range(2):
            procs.append(
                _start(
                    [
                        "worker",
                        address,
                        "--host",
                        "127.0.0.1",
                        "--nthreads",
                        "1",
                        "--no-nanny",
                        "--no-dashboard",
                        "--name",
                        f"w{i}",
                    ],
                    tmp_path / f"worker{i}.log",
                )
            )
        with Client(address, timeout=30, set_as_default=False) as client:
            client.wait_for_workers(2, timeout=60)
            workers = {info["name"]: addr for addr, info in client.scheduler_info()["workers"].items()}
        yield address, dict(zip(["w0", "w1"], procs[1:], strict=True)), workers
    finally:
        for proc in reversed(procs):
            _stop(proc)


def test_dask_sweep_survives_a_killed_worker_and_matches_local(cluster, tmp_path):
    from distributed import Client

    address, procs, workers = cluster
    path = write_experiment(tmp_path, replications=6, chunk_runs=1, set={"days": 40, "shocks": []})
    plan = load_plan(path)
    out = tmp_path / "dask"
    outcome: dict = {}

    def sweep() -> None:
        try:
            outcome["report"] = run_sweep(plan, out, scheduler=address, progress=False)
        except BaseException as exc:  # reported by the assertion below
            outcome["error"] = exc

    thread = threading.Thread(target=sweep)
    thread.start()
    killed = None
    with Client(address, timeout=10, set_as_default=False) as client:
        deadline = time.monotonic() + 60
        while killed is None and time.monotonic() < deadline and thread.is_alive():
            busy = client.processing()
            if len(parts(out)) >= 1 and busy.get(workers["w0"]):
                procs["w0"].send_signal(signal.SIGKILL)  # mid-task: it holds work right now
                killed = busy[workers["w0"]]
            time.sleep(0.01)
    thread.join(timeout=120)
    assert not thread.is_alive()
    assert "error" not in outcome, outcome.get("error")
    assert killed, "the worker was never caught holding a task"
    assert procs["w0"].wait(timeout=10) == -signal.SIGKILL
    runs = load_runs(out)
    assert runs["run_id"].tolist() == list(range(plan.n_runs))  # every run exactly once
    assert outcome["report"].ran == plan.n_runs and outcome["report"].failed == 0
    local = tmp_path / "local"
    run_sweep(plan, local, workers=1, progress=False)
    assert parts(out) == parts(local) and parts(out, "steps") == parts(local, "steps")
