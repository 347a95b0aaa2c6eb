"""Calibration to a firm: recovery of known parameters, warnings, the command."""

from __future__ import annotations

import csv
import sys

import numpy as np
import pandas as pd
import pytest
import yaml

import leadsim
from leadsim.cli.main import main
from leadsim.compare import calibrate, load_firm
from leadsim.compare.calibrate import DEFAULT_PARAMETERS, TARGETS, run_values, status_quo

FIRM = {
    "name": "known_firm",
    "seed": 40,
    "warmup_days": 30,
    "org": {"size": 20, "span_of_control": 5},
    "market": {"turbulence": 0.3},
}
DAYS = 130  # half a year of figures: cheap, and still informative
TRUTH = {"org.competence.mean": 0.6, "market.decision_rate": 0.35, "dynamics.quit_rate_per_year": 0.1}


def _observed_from_the_model(seed: int) -> dict:
    """A profile whose figures are one simulated year of the model itself at known values."""
    firm = load_firm({**FIRM, "observed": {"structure": "centralised"}})
    _, today = status_quo(firm, days=DAYS)
    truth = leadsim.validate_scenario(today.model_dump(), "truth", TRUTH)
    year = run_values(leadsim.run_batch(truth, [seed]), [t.key for t in TARGETS]).iloc[0]
    return {
        **FIRM,
        "observed": {
            "structure": "centralised",
            "turnover_per_year": float(year["turnover_rate"]),
            "decision_wait_days": float(year["latency_mean"]),
            "engagement": {"mean": 1 + 4 * float(year["engagement_mean"]), "scale": [1, 5]},
        },
        # Only the parameters of the truth: the rest of the model stays as the profile says.
        "calibration": {
            "parameters": {p.path: None for p in DEFAULT_PARAMETERS if p.path not in TRUTH},
            "days": DAYS,
        },
    }


@pytest.mark.slow
def test_calibration_recovers_known_parameters():
    """The true values lie inside the 90 % posterior interval in most repeats."""
    hits, total = 0, 0
    narrowed = []
    for repeat in range(3):
        found = calibrate(_observed_from_the_model(900 + repeat), samples=24, seeds=2, seed=10 * repeat)
        assert found.calibrated and len(found.posterior) > 0
        summary = found.summary.set_index("parameter")
        for path, value in TRUTH.items():
            total += 1
            hits += summary.loc[path, "posterior_low"] <= value <= summary.loc[path, "posterior_high"]
        narrowed.append(summary["narrowed_to"].min())
    assert hits >= 0.7 * total, f"true values inside the 90 % interval {hits} of {total} times"
    # The figures carry information: some parameter's interval is much narrower than its prior.
    assert np.median(narrowed) < 0.7


def test_a_firm_the_model_cannot_match_gets_the_warning():
    profile = {
        **FIRM,
        "observed": {"structure": "centralised", "engagement": {"mean": 9.9, "scale": [0, 10]}},
    }
    found = calibrate(profile, samples=8, seeds=2, days=40)
    row = found.fit.set_index("figure").loc["engagement"]
    assert not row["matched"] and not found.matched
    assert any(w.startswith("The model cannot match your engagement") for w in found.warnings)


def test_nothing_observed_means_the_prior_and_a_parameter_missing_from_the_model_is_skipped():
    profile = {**FIRM, "calibration": {"parameters": {"dynamics.no_such_knob": {"low": 0, "high": 1}}}}
    found = calibrate(profile, samples=10)
    assert not found.calibrated and len(found.points) == 10
    assert np.allclose(found.points["weight"], 0.1)
    assert any("dynamics.no_such_knob" in w and "not in this model version" in w for w in found.notes)
    assert "dynamics.no_such_knob" not in found.posterior.columns
    draws = found.draws(5)
    assert len(draws) == 5 and set(draws["draw"]) == set(range(5))


@pytest.mark.parametrize(
    ("observed", "message"),
    [
        ({"engagement": {"mean": 6, "scale": [1, 5]}}, "outside the scale"),
        ({"turnover_per_year": -0.1}, "turnover_per_year"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_bad_observed_figures_are_one_line(tmp_path, capsys, observed, message):
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump({**FIRM, "observed": observed}))
    code = main(["calibrate", str(path), "--out", str(tmp_path / "cal"), "--quiet"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and message in err[0]
    assert not (tmp_path / "cal").exists()


def test_cli_writes_posterior_and_fit_as_plain_csv(tmp_path, capsys):
    path = tmp_path / "firm.yaml"
    observed = {"structure": "centralised", "turnover_per_year": 0.15, "decision_wait_days": 1.0}
    path.write_text(yaml.safe_dump({**FIRM, "observed": observed, "calibration": {"days": 40}}))
    out = tmp_path / "cal"
    code = main(["calibrate", str(path), "--samples", "8", "--seeds", "1", "--out", str(out), "--quiet"])
    stdout = capsys.readouterr().out
    assert code == 0 and "| voluntary turnover |" in stdout and "| your firm |" in stdout
    for name in ("posterior", "fit", "parameters", "points"):
        frame = pd.read_csv(out / f"{name}.csv")
        with open(out / f"{name}.csv", newline="", encoding="utf-8") as fh:
            header = next(csv.reader(fh))
        assert list(frame.columns) == header and len(frame) > 0
    assert set(pd.read_csv(out / "fit.csv")["figure"]) == {"turnover_per_year", "decision_wait_days"}
    assert "calibration.md" in {p.name for p in out.iterdir()}


@pytest.mark.parametrize("command", ["calibrate", "compare"])
def test_without_the_calibrate_extra_one_line_names_it(command, monkeypatch, tmp_path, capsys):
    # None in sys.modules makes `import SALib` fail as if it were not installed.
    for name in [m for m in sys.modules if m == "SALib" or m.startswith("SALib.")]:
        monkeypatch.setitem(sys.modules, name, None)
    monkeypatch.setitem(sys.modules, "SALib", None)
    path = tmp_path / "firm.yaml"
    path.write_text(
        yaml.safe_dump({**FIRM, "observed": {"turnover_per_year": 0.1}, "calibration": {"days": 20}})
    )
    out = tmp_path / "out"
    assert main([command, str(path), "--out", str(out), "--quiet", "--samples", "8"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "pip install 'leadsim[calibrate]'" in err[0]
    assert not out.exists()
