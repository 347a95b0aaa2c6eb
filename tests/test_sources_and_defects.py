"""Every entry point takes a Scenario, a mapping, a path or a bundled name; small defects stay fixed."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest
import yaml

import leadsim
import leadsim.sweeps.api as sweep_api
from leadsim.cli.main import main
from leadsim.sweeps import load_plan, load_runs, read_provenance, run_sweep
from sweep_helpers import ROOT, die_in_task_3, parts, write_experiment

SHORT = {"days": 20, "shocks": []}


def test_run_takes_a_scenario_a_mapping_a_path_or_a_bundled_name(tmp_path):
    scenario = leadsim.load_scenario("default", SHORT)
    path = tmp_path / "short.yaml"
    path.write_text(yaml.safe_dump(scenario.model_dump(mode="json")))
    by_object = leadsim.run(scenario, seed=3).summary
    for source in (scenario.model_dump(), path, str(path)):
        other = leadsim.run(source, seed=3).summary
        assert other["scenario_hash"] == by_object["scenario_hash"]
        assert other["latency_mean"] == by_object["latency_mean"]
    batch = leadsim.run_batch(str(path), [3, 4])
    assert batch[0].summary["latency_mean"] == by_object["latency_mean"]
    by_name = leadsim.run_batch("default", [3], days=260)[0].summary
    assert by_name["scenario_hash"] == leadsim.scenario_hash(
        leadsim.load_scenario(ROOT / "scenarios" / "default.yaml")
    )


def test_bundled_names_reach_profiles_and_experiments():
    assert (
        leadsim.compare("default", reps=3, flip=False).profile.org.size == 24
    )  # the profile, not the scenario
    assert load_plan("quick").experiment.name == "quick"
    with pytest.raises(leadsim.ScenarioError, match=r"bundled: .*default"):
        leadsim.load_scenario("no_such_scenario")
    with pytest.raises(leadsim.ScenarioError, match="expected a scenario"):
        leadsim.run(42)


def test_batch_to_xarray_is_replication_by_day_by_metric():
    batch = leadsim.run_batch(leadsim.load_scenario("default", SHORT), [5, 6, 7])
    assert isinstance(batch, list) and len(batch) == 3
    array = batch.to_xarray()
    assert array.dims == ("replication", "day", "metric") and array.shape[:2] == (3, 20)
    assert list(array.coords["seed"].values) == [5, 6, 7]
    assert array.attrs["scenario_hash"] == batch[0].summary["scenario_hash"]
    latency = array.sel(metric="latency_mean", replication=1).values
    assert latency.tolist() == pytest.approx(batch[1].steps["latency_mean"].tolist(), nan_ok=True)
    with pytest.raises(ValueError, match="keep_steps"):
        leadsim.run_batch(leadsim.load_scenario("default", SHORT), [1], keep_steps=False).to_xarray()


def test_sweep_takes_a_dataframe_of_points(tmp_path):
    points = pd.DataFrame({"org.size": [8, 16, 8], "leadership.style": ["autocratic", "servant", "servant"]})
    runs = leadsim.sweep(
        points, tmp_path / "p", scenario={"days": 15}, replications=2, workers=1, progress=False
    )
    assert len(runs) == 6
    assert runs.groupby("point")[["org.size", "leadership.style"]].first().values.tolist() == [
        [8, "autocratic"],
        [16, "servant"],
        [8, "servant"],
    ]
    assert (runs["size"] == runs["org.size"]).all() and runs["error"].isna().all()
    meta = read_provenance(next((tmp_path / "p" / "runs").glob("*.parquet")))
    assert meta["version"] == leadsim.__version__ and meta["experiment"] == "points"
    assert set(meta["scenario_hashes"].split(",")) <= set(runs["scenario_hash"])
    with pytest.raises(leadsim.ScenarioError, match="replications, seed and samples"):
        leadsim.sweep("quick", replications=3)


def test_sensitivity_takes_a_salib_problem_spec():
    salib = pytest.importorskip("SALib")
    problem = salib.ProblemSpec({"names": ["org.size", "market.turbulence"], "bounds": [[8, 30], [0.0, 1.5]]})
    table = leadsim.sensitivity(
        problem,
        scenario=leadsim.load_scenario("default", SHORT),
        samples=4,
        replications=1,
        workers=1,
        progress=False,
        outputs=["latency_mean"],
    )
    assert set(table["factor"]) == {"org.size", "market.turbulence"}
    assert {"S1", "ST", "S2"} <= set(table["index"])
    bad = salib.ProblemSpec({"names": ["org.size"], "bounds": [[8, 30]], "dists": ["norm"]})
    with pytest.raises(leadsim.ScenarioError, match="uniform"):
        leadsim.sensitivity(bad)


def test_empty_scenario_file_is_one_line_exit_2_and_writes_nothing(tmp_path, capsys):
    empty = tmp_path / "empty.yaml"
    empty.write_text("# nothing here\n")
    out = tmp_path / "out"
    assert main(["run", str(empty), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "empty.yaml: the file is empty" in err
    assert not out.exists()


def test_params_with_an_unknown_filter_says_what_is_allowed(capsys):
    assert main(["params", "zzz"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "'zzz'" in err and "org" in err and "shocks" in err


def test_run_refuses_a_non_empty_out_unless_forced(tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    argv = ["run", "default", "--days", "20", "--set", "shocks=[]", "--out", str(out), "--no-figure"]
    assert main(argv) == 2
    assert "--force" in capsys.readouterr().err
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]
    assert main([*argv, "--force", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["days"] == 20 and summary["outputs"]["summary"].endswith("summary.json")
    assert (out / "notes.txt").read_text() == "mine" and (out / "steps.csv").is_file()


def test_scenarios_and_params_print_json(capsys):
    assert main(["scenarios", "--json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert {"default", "owner_away"} <= {r["name"] for r in records}
    assert all({"leadership", "size", "days", "story"} <= set(r) for r in records)
    assert main(["params", "org.size", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["fields"][0]["name"] == "org.size"


@pytest.mark.skipif(sys.platform != "linux", reason="forkserver workers")
def test_a_local_worker_dying_mid_sweep_loses_nothing_finished(tmp_path, monkeypatch):
    path = write_experiment(tmp_path)
    reference = tmp_path / "serial"
    run_sweep(load_plan(path), reference, workers=1, progress=False)
    out = tmp_path / "two"
    monkeypatch.setattr(sweep_api, "run_task", die_in_task_3)
    with pytest.raises(leadsim.ScenarioError, match=r"died before finishing its task.*--resume"):
        run_sweep(load_plan(path), out, workers=2, progress=False)
    saved = parts(out)
    assert "part-000003.parquet" not in saved  # the lost task left nothing half-written
    assert not list((out / "runs").glob(".*.tmp"))
    monkeypatch.undo()
    report = run_sweep(load_plan(path), out, workers=2, resume=True, progress=False)
    assert report.resumed == 2 * len(saved) and report.failed == 0
    assert parts(out) == parts(reference)
    pd.testing.assert_frame_equal(load_runs(out), load_runs(reference))


def test_plot_formats_resolution_and_labels_from_the_schema(tmp_path, capsys):
    out = tmp_path / "q"
    assert main(["sweep", "quick", "--out", str(out), "--workers", "1", "--quiet"]) == 0
    assert main(["plot", str(out), "--format", "svg", "--to", str(tmp_path / "svg")]) == 0
    svg = next((tmp_path / "svg").glob("quick-latency_mean-vs-org_size*.svg")).read_text()
    assert "people, owner included [org.size]" in svg  # the schema's description of org.size
    assert "decision latency, mean (days)" in svg
    assert main(["plot", str(out), "--format", "pdf", "--to", str(tmp_path / "pdf")]) == 0
    assert next((tmp_path / "pdf").glob("*.pdf")).read_bytes().startswith(b"%PDF")
    from PIL import Image

    for dpi in (100, 200):
        assert main(["plot", str(out), "--dpi", str(dpi), "--to", str(tmp_path / f"png{dpi}")]) == 0
    small, large = (Image.open(next((tmp_path / f"png{d}").glob("quick-latency*.png"))) for d in (100, 200))
    assert large.width == 2 * small.width
    capsys.readouterr()
    with pytest.raises(SystemExit) as exited:
        main(["plot", str(out), "--format", "tiff"])
    assert exited.value.code == 2 and "invalid choice" in capsys.readouterr().err


def test_bash_completion_completes_commands_options_and_bundled_names(tmp_path, capsys):
    assert main(["completion", "bash"]) == 0
    script = tmp_path / "leadsim.bash"
    script.write_text(capsys.readouterr().out)

    def complete(*words: str) -> list[str]:
        line = " ".join(["leadsim", *words])
        code = (
            f"source {script}; COMP_WORDS=({line}); COMP_CWORD={len(words)}; "
            'cd "$(mktemp -d)"; _leadsim; printf "%s\\n" "${COMPREPLY[@]}"'
        )
        done = subprocess.run(["bash", "-c", code], capture_output=True, text=True, check=True)
        return done.stdout.split()

    assert "sensitivity" in complete("sen") and "scenarios" in complete("sc")
    assert complete("run", "--fo") == ["--force"]
    assert complete("run", "owner") == ["owner_away"]
    assert complete("compare", "grow") == ["growing_startup"]
    assert complete("sweep", "qu") == ["quick"]
