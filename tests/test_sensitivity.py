"""Sensitivity indices (SALib) of small sweeps: a factor the output ignores gets exactly zero."""

from __future__ import annotations

import numpy as np
import pandas as pd

from leadsim.cli.main import main
from leadsim.sweeps import sensitivity
from sweep_helpers import write_experiment

# Latency depends on how many decisions arrive; it cannot depend on the starting cash (nothing
# fails and no hiring freezes within 25 days). With common random numbers every point of a
# replication shares its seed, so the cash factor changes no output at all: its indices are zero.
FACTORS = {
    "market.decision_rate": {"low": 0.1, "high": 1.5},
    "economics.initial_cash_months": {"low": 2, "high": 6},
}


def _experiment(tmp_path, design):
    return write_experiment(
        tmp_path,
        factors=FACTORS,
        design=design,
        replications=2,
        chunk_runs=24,
        common_random_numbers=True,
        set={"days": 25, "shocks": [], "org.size": 10, "leadership.style": "autocratic"},
        outputs={"summary": ["latency_mean", "decisions", "engagement_final"]},
        sensitivity={"outputs": ["decisions", "latency_mean"], "num_resamples": 50},
    )


def test_sobol_indices_table_csv_and_figure(tmp_path, capsys):
    path = _experiment(tmp_path, {"type": "sobol", "samples": 8})
    out = tmp_path / "out"
    assert main(["sensitivity", str(path), "--out", str(out), "--workers", "1", "--quiet"]) == 0
    printed = capsys.readouterr().out
    assert "market.decision_rate" in printed and "±" in printed and "S2" in printed
    table = pd.read_csv(out / "sensitivity.csv", keep_default_na=False, na_values=[""])
    assert (out / "sensitivity.png").stat().st_size > 5_000
    assert set(table["index"]) == {"S1", "ST", "S2"}
    assert len(table) == 2 * (2 + 2 + 1)  # two outputs x (S1, ST per factor + one pair)
    decisions = table[table["output"] == "decisions"].set_index(["index", "factor"])["value"]
    assert decisions[("ST", "economics.initial_cash_months")] == 0.0
    assert decisions[("S1", "economics.initial_cash_months")] == 0.0
    assert decisions[("ST", "market.decision_rate")] > 0.5  # ~1 in theory; N = 8 is noisy
    # the API gives the same numbers from the finished sweep
    again = sensitivity(path, out, progress=False)
    np.testing.assert_array_equal(again["value"].to_numpy(), table["value"].to_numpy())
    first_order = table[table["index"] != "S2"]
    assert np.isfinite(first_order["value"]).all() and (first_order["conf"] >= 0).all()


def test_morris_screening_ranks_the_factor_that_matters(tmp_path):
    path = _experiment(tmp_path, {"type": "morris", "samples": 4, "levels": 4})
    table = sensitivity(path, tmp_path / "out", workers=1, progress=False)
    assert set(table["index"]) == {"mu_star", "sigma", "mu"}
    mu_star = table[(table["index"] == "mu_star") & (table["output"] == "decisions")]
    by_factor = mu_star.set_index("factor")["value"]
    assert by_factor["economics.initial_cash_months"] == 0.0
    assert by_factor["market.decision_rate"] > 0


def test_sensitivity_needs_a_sampled_design_and_known_outputs(tmp_path, capsys):
    grid = write_experiment(tmp_path, name="grid.yaml")
    assert main(["sensitivity", str(grid), "--out", str(tmp_path / "o")]) == 2
    assert "needs a sobol or morris design" in capsys.readouterr().err
    path = _experiment(tmp_path, {"type": "sobol", "samples": 8})
    assert main(["sensitivity", str(path), "--out", str(tmp_path / "o"), "--output", "happiness"]) == 2
    assert "'happiness'" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_wide_intervals_are_marked_warned_and_given_a_sample_size(tmp_path, capsys):
    path = _experiment(tmp_path, {"type": "sobol", "samples": 8})
    out = tmp_path / "out"
    assert main(["sensitivity", str(path), "--out", str(out), "--workers", "1", "--quiet"]) == 0
    captured = capsys.readouterr()
    table = pd.read_csv(out / "sensitivity.csv", keep_default_na=False, na_values=[""])
    main_indices = table[table["index"].isin(["S1", "ST"])]
    wide = main_indices[main_indices["wide"]]
    # at N = 8 the latency indices are imprecise; the exact zeros of the ignored factor are not
    assert not wide.empty and not wide["factor"].eq("market.initial_cash_days").all()
    assert (wide["conf"] > wide["value"].abs()).all()
    assert " *" in captured.out and "wider than the estimate" in captured.out
    (warning,) = [line for line in captured.err.splitlines() if line.startswith("warning:")]
    needed = int(warning.split("to about ")[1].split()[0])
    assert needed > 8 and needed & (needed - 1) == 0  # a larger power of two


def test_precision_advice_scales_the_sample_by_the_square_of_the_worst_ratio():
    from leadsim.sweeps.sensitivity import precision_advice

    table = pd.DataFrame(
        {
            "output": ["y"] * 3,
            "index": ["S1", "ST", "S2"],
            "factor": ["a", "a", "a"],
            "value": [0.4, 0.5, 0.0],
            "conf": [0.8, 0.1, 5.0],  # S1 twice as wide as the estimate; S2 is not judged
        }
    )
    table["wide"] = table["conf"] > np.maximum(table["value"].abs(), 0.05)
    advice = precision_advice(table, 64)
    assert "1 of 2 indices" in advice and "from 64 to about 256" in advice
    assert precision_advice(table[table["index"] == "ST"], 64) is None
