"""Experiments, designs and seeds: what a sweep will run, and the bad inputs it refuses."""

from __future__ import annotations

import time

import numpy as np
import pytest

from leadsim.cli.main import main
from leadsim.sweeps import load_plan
from leadsim.sweeps.seeds import run_seed
from sweep_helpers import ROOT, write_experiment


def test_grid_plan_covers_every_run_once(tmp_path):
    plan = load_plan(write_experiment(tmp_path))
    assert [p.values for p in plan.points] == [
        {"leadership.style": s, "org.size": n} for s in ("autocratic", "distributed") for n in (6, 12)
    ]
    run_ids = [r for t in plan.tasks for g in t.groups for r in g.run_ids]
    assert run_ids == list(range(plan.n_runs)) and plan.n_runs == 12
    assert all(t.n_runs <= 2 for t in plan.tasks)
    # the scenario of each point carries its factor values
    assert [s["org"]["size"] for s in plan.scenarios] == [6, 12, 6, 12]
    assert len(set(plan.hashes)) == 4


def test_seeds_are_spawned_from_one_root_and_independent_of_order(tmp_path):
    plan = load_plan(write_experiment(tmp_path, seed=5))
    seeds = [s for point in plan.seeds for s in point]
    assert len(set(seeds)) == len(seeds)
    root = np.random.SeedSequence(5)
    expected = int(root.spawn(4)[2].spawn(3)[1].generate_state(1, np.uint64)[0]) >> 1
    assert plan.seeds[2][1] == expected == run_seed(5, 2, 1)
    again = load_plan(write_experiment(tmp_path, seed=5))
    assert again.seeds == plan.seeds and again.fingerprint == plan.fingerprint
    other = load_plan(write_experiment(tmp_path, seed=6))
    assert other.fingerprint != plan.fingerprint
    assert not set(seeds) & {s for point in other.seeds for s in point}


def test_common_random_numbers_pair_the_points(tmp_path):
    plan = load_plan(write_experiment(tmp_path, common_random_numbers=True))
    assert all(point == plan.seeds[0] for point in plan.seeds)
    assert len(set(plan.seeds[0])) == 3


@pytest.mark.parametrize(
    ("design", "points"),
    [
        ({"type": "lhs", "samples": 7}, 2 * 7),
        ({"type": "sobol", "samples": 8}, 2 * 8 * (2 * 2 + 2)),
        ({"type": "sobol", "samples": 8, "second_order": False}, 2 * 8 * (2 + 2)),
        ({"type": "morris", "samples": 3, "levels": 4}, 2 * 3 * (2 + 1)),
    ],
)
def test_sampled_designs_cross_the_levels_and_respect_ranges(tmp_path, design, points):
    factors = {
        "leadership.style": ["autocratic", "distributed"],
        "org.size": {"low": 5, "high": 40, "integer": True},
        "market.turbulence": {"low": 0.05, "high": 2.0, "log": True},
    }
    plan = load_plan(write_experiment(tmp_path, factors=factors, design=design))
    assert len(plan.points) == points
    sizes = [p.values["org.size"] for p in plan.points]
    turbulence = [p.values["market.turbulence"] for p in plan.points]
    assert all(isinstance(s, int) and 5 <= s <= 40 for s in sizes)
    assert all(0.05 <= t <= 2.0 for t in turbulence)
    half = points // 2
    assert {p.values["leadership.style"] for p in plan.points[:half]} == {"autocratic"}
    # the same sample for each style: the indices per style are comparable
    assert [p.sample for p in plan.points[:half]] == [p.sample for p in plan.points[half:]]


BAD_INPUTS = [
    ({"factors": {"org.sise": [5, 10]}}, ["factors.org.sise", "unknown field", "allowed"]),
    ({"factors": {"market.turbulence": {"low": 1, "high": 1}}, "design": "lhs"}, ["empty"]),
    ({"factors": {"market.turbulence": {"low": 2, "high": 1}}, "design": "lhs"}, ["inverted"]),
    ({"factors": {"org.size": []}}, ["factors.org.size.levels"]),
    ({"factors": {"leadership.style": ["tyrant"]}}, ["leadership.style", "tyrant"]),
    ({"factors": {"market.turbulence": {"low": 0, "high": 2}}}, ["grid design needs levels"]),
    ({"design": {"type": "sobol", "samples": 8}}, ["needs at least one factor with a range"]),
    (
        {
            "factors": {"org.size": {"low": 5, "high": 9}, "market.turbulence": {"low": 0, "high": 1}},
            "design": {"type": "sobol", "samples": 10},
        },
        ["power of 2"],
    ),
    (
        {"factors": {"org.size": {"low": 5, "high": 9}}, "design": {"type": "sobol", "samples": 8}},
        ["second_order"],
    ),
    (
        {"factors": {"market.demand": {"low": 0.5, "high": 2}}, "design": {"type": "morris"}},
        ["design.samples", "required"],
    ),
    ({"design": "factorial"}, ["design.type"]),
    ({"outputs": {"summary": ["latency_mean", "happiness"]}}, ["unknown output 'happiness'"]),
    ({"replicates": 3}, ["replicates", "unknown field"]),
    ({"set": {"days": 200}, "factors": {"shocks.0.day": [10, 900]}}, ["shocks.0.day", "horizon"]),
    ({"factors": {"seed": [1, 2]}}, ["factors.seed"]),
]


@pytest.mark.parametrize(("changes", "words"), BAD_INPUTS)
def test_bad_experiment_is_one_line_exit_2_and_writes_nothing(tmp_path, capsys, changes, words):
    path = write_experiment(tmp_path, **changes)
    out = tmp_path / "out"
    assert main(["sweep", str(path), "--out", str(out), "--quiet"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and err.startswith("leadsim: error: ")
    for word in words:
        assert word in err
    assert not out.exists()


def test_missing_base_and_missing_file(tmp_path, capsys):
    assert main(["sweep", str(tmp_path / "nope.yaml")]) == 2
    assert "no such experiment file" in capsys.readouterr().err
    path = write_experiment(tmp_path, base="missing.yaml")
    assert main(["sweep", str(path)]) == 2
    assert "base: no such scenario file" in capsys.readouterr().err


def test_unreachable_scheduler_fails_fast_and_writes_nothing(tmp_path, capsys):
    import socket

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    out = tmp_path / "out"
    started = time.monotonic()
    code = main(
        [
            "sweep",
            str(write_experiment(tmp_path)),
            "--out",
            str(out),
            "--scheduler",
            f"tcp://127.0.0.1:{port}",
            "--connect-timeout",
            "1.5",
        ]
    )
    assert code == 2 and time.monotonic() - started < 15
    err = capsys.readouterr().err.strip()
    assert "cannot reach the Dask scheduler" in err and err.count("\n") == 0
    assert not out.exists()


def test_bad_worker_count(tmp_path, capsys):
    assert (
        main(["sweep", str(write_experiment(tmp_path)), "--workers", "0", "--out", str(tmp_path / "o")]) == 2
    )
    assert "--workers" in capsys.readouterr().err


@pytest.mark.parametrize("name", sorted(p.name for p in (ROOT / "experiments").glob("*.yaml")))
def test_bundled_experiments_plan(name):
    plan = load_plan(ROOT / "experiments" / name)
    assert plan.n_runs == len(plan.points) * plan.experiment.replications > 0
