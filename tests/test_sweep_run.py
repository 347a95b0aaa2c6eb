"""Running sweeps: identical results for any number of workers, resume, failures, interruption."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

import leadsim
from leadsim.cli.main import main
from leadsim.sweeps import load_plan, load_runs, load_steps, run_sweep, sweep
from sweep_helpers import ROOT, parts, write_experiment


@pytest.fixture(scope="module")
def serial_sweep(tmp_path_factory):
    """The tiny experiment swept in this process: the reference for the other tests."""
    folder = tmp_path_factory.mktemp("serial")
    path = write_experiment(folder)
    out = folder / "out"
    report = run_sweep(load_plan(path), out, workers=1, progress=False)
    return path, out, report


def test_sweep_rows_match_single_runs_with_provenance(serial_sweep):
    path, out, report = serial_sweep
    runs = load_runs(out)
    plan = load_plan(path)
    assert report.total == report.ran == len(runs) == 12 and report.failed == 0
    assert runs["run_id"].tolist() == list(range(12))
    assert runs[["version", "scenario_hash", "seed"]].notna().all().all()
    assert (runs["version"] == leadsim.__version__).all()
    # the factor values reached the scenarios: the summary echoes them
    assert (runs["org.size"] == runs["size"]).all()
    assert (runs["leadership.style"] == runs["style"]).all()
    # every row is exactly what leadsim.run gives for that point's scenario and seed
    for row in runs.iloc[[0, 7, 11]].itertuples():
        scenario = leadsim.validate_scenario(plan.scenarios[row.point])
        alone = leadsim.run(scenario, row.seed).summary
        assert row.scenario_hash == alone["scenario_hash"] == plan.hashes[row.point]
        for key in ("latency_mean", "engagement_final", "output_total"):
            assert getattr(row, key) == pytest.approx(alone[key], rel=0, abs=0, nan_ok=True)
    steps = load_steps(out)
    assert len(steps) == 12 * 25 and steps.groupby("run_id")["day"].max().eq(24).all()


def test_two_workers_write_the_same_bytes(serial_sweep, tmp_path):
    path, out, _ = serial_sweep
    other = tmp_path / "two"
    run_sweep(load_plan(path), other, workers=2, progress=False)
    assert parts(other) == parts(out) and parts(other, "steps") == parts(out, "steps")
    pd.testing.assert_frame_equal(load_runs(other), load_runs(out))


def test_resume_runs_only_what_is_missing(serial_sweep, tmp_path):
    path, reference, _ = serial_sweep
    out = tmp_path / "out"
    plan = load_plan(path)
    run_sweep(plan, out, workers=1, progress=False)
    for name in ("part-000001.parquet", "part-000004.parquet"):
        (out / "runs" / name).unlink()
    (out / "runs" / ".part-000004.parquet.123.tmp").write_bytes(b"half a write")
    kept = {p.name: p.stat().st_mtime_ns for p in (out / "runs").glob("part-*")}
    report = run_sweep(plan, out, workers=1, resume=True, progress=False)
    assert report.ran == 4 and report.resumed == 8
    assert {p.name: p.stat().st_mtime_ns for p in (out / "runs").glob("part-*") if p.name in kept} == kept
    assert parts(out) == parts(reference)
    assert not list((out / "runs").glob(".*.tmp"))
    assert run_sweep(plan, out, workers=1, resume=True, progress=False).ran == 0


def test_finished_or_foreign_folders_are_not_overwritten(serial_sweep, tmp_path, capsys):
    path, out, _ = serial_sweep
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert main(["sweep", str(path), "--out", str(out), "--quiet"]) == 2
    assert "--resume" in capsys.readouterr().err
    other = write_experiment(tmp_path, seed=99)
    assert main(["sweep", str(other), "--out", str(out), "--quiet", "--resume"]) == 2
    err = capsys.readouterr().err.strip()
    assert "holds a different experiment" in err and err.count("\n") == 0
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    stranger = tmp_path / "stranger"
    stranger.mkdir()
    (stranger / "notes.txt").write_text("mine")
    assert main(["sweep", str(path), "--out", str(stranger), "--quiet"]) == 2
    assert "holds no leadsim sweep" in capsys.readouterr().err
    assert [p.name for p in stranger.iterdir()] == ["notes.txt"]


def test_a_run_that_raises_is_recorded_and_the_sweep_goes_on(tmp_path, monkeypatch, capsys):
    path = write_experiment(tmp_path)
    plan = load_plan(path)
    bad_seed = plan.seeds[2][1]
    real_run_batch, real_run = leadsim.run_batch, leadsim.run

    def run_batch(scenario, seeds, **kw):
        if bad_seed in seeds:
            raise RuntimeError("engine exploded")
        return real_run_batch(scenario, seeds, **kw)

    def run(scenario, seed=None, **kw):
        if seed == bad_seed:
            raise RuntimeError(f"engine exploded on seed {seed}")
        return real_run(scenario, seed, **kw)

    monkeypatch.setattr(leadsim, "run_batch", run_batch)
    monkeypatch.setattr(leadsim, "run", run)
    out = tmp_path / "out"
    assert main(["sweep", str(path), "--out", str(out), "--workers", "1", "--quiet"]) == 0
    line = capsys.readouterr().out
    assert "1 failed" in line and "errors.csv" in line
    runs = load_runs(out)
    failed = runs[runs["error"].notna()]
    assert failed["seed"].tolist() == [bad_seed]
    assert failed["error"].iloc[0] == f"RuntimeError: engine exploded on seed {bad_seed}"
    assert "Traceback" in failed["traceback"].iloc[0]
    assert failed[["version", "scenario_hash"]].notna().all().all()
    assert runs.loc[runs["error"].isna(), "latency_mean"].notna().all() and len(runs) == 12
    errors = pd.read_csv(out / "errors.csv")
    assert errors["run_id"].tolist() == failed["run_id"].tolist()


def _session_processes(sid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            if int(fields[3]) == sid:  # field 6 of /proc/PID/stat: the session id
                found.append(int(entry.name))
    return found


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc to check for leftover workers")
def test_sigint_loses_no_finished_run_and_resume_completes(serial_sweep, tmp_path):
    path = write_experiment(tmp_path, replications=8, chunk_runs=1, set={"days": 40, "shocks": []})
    out = tmp_path / "out"
    cli = [sys.executable, "-m", "leadsim.cli.main", "sweep", str(path), "--out", str(out), "--workers", "2"]
    proc = subprocess.Popen(
        cli, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True, text=True
    )
    try:
        deadline = time.monotonic() + 60
        while len(parts(out)) < 2 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == 130, err
    assert "--resume" in err
    # no worker left behind (the forkserver and resource tracker exit soon after the driver)
    deadline = time.monotonic() + 10
    while _session_processes(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _session_processes(proc.pid) == []
    saved = parts(out)
    assert 2 <= len(saved) < 32
    report = run_sweep(load_plan(path), out, workers=1, resume=True, progress=False)
    assert report.resumed == len(saved) and report.ran == 32 - len(saved)
    runs = load_runs(out)
    assert runs["run_id"].tolist() == list(range(32))
    assert {name: parts(out)[name] for name in saved} == saved  # finished parts untouched
    fresh = tmp_path / "fresh"
    run_sweep(load_plan(path), fresh, workers=1, progress=False)
    assert parts(fresh) == parts(out)


def test_api_sweep_without_folder_returns_the_frame(serial_sweep):
    path, out, _ = serial_sweep
    frame = sweep(path, workers=1, progress=False)
    pd.testing.assert_frame_equal(frame, load_runs(out))


def test_plot_writes_the_standard_figures(serial_sweep, tmp_path, capsys):
    _, out, _ = serial_sweep
    target = tmp_path / "figs"
    assert main(["plot", str(out), "--to", str(target)]) == 0
    written = [Path(line) for line in capsys.readouterr().out.split()]
    assert {p.name for p in written} == {
        f"tiny-{y}-vs-org_size-by-leadership_style.png"
        for y in ("latency_mean", "engagement_final", "output_total")
    }
    assert all(p.stat().st_size > 5_000 for p in written)
    assert (
        main(["plot", str(out), "--y", "output_total", "--x", "leadership.style", "--to", str(target)]) == 0
    )
    assert main(["plot", str(out), "--y", "happiness", "--x", "org.size"]) == 2
    assert "no column 'happiness'" in capsys.readouterr().err
    assert main(["plot", str(tmp_path)]) == 2
