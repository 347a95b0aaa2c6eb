"""The EMA workbench adapter: experiments through run_batch, scenario discovery with PRIM."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

import leadsim

ema = pytest.importorskip("ema_workbench")
leadsim_ema = pytest.importorskip("leadsim.ema")


def small_model(**changes):
    settings = {
        "uncertainties": {"org.size": (10, 80), "market.turbulence": (0.0, 2.0)},
        "levers": {"leadership.style": ["autocratic", "distributed"]},
        "replications": 3,
        "overrides": {"days": 60, "shocks": []},
        **changes,
    }
    return leadsim_ema.model("default", **settings)


def test_experiments_run_replications_through_run_batch_and_prim_finds_the_bottleneck():
    model = small_model()
    assert isinstance(model.uncertainties["org__size"], ema.IntegerParameter)  # a whole-number field
    assert isinstance(model.uncertainties["market__turbulence"], ema.RealParameter)
    experiments, outcomes = ema.perform_experiments(
        model, scenarios=12, policies=2, uncertainty_sampling_kwargs={"rng": 7}
    )
    assert len(experiments) == 24 and set(outcomes) >= {"latency_mean", "survival"}
    # each outcome is the mean over the paired replications run_batch gives for that experiment
    row = experiments.iloc[5]
    scenario = leadsim.load_scenario(
        "default",
        {
            "days": 60,
            "shocks": [],
            "org.size": int(row["org__size"]),
            "market.turbulence": float(row["market__turbulence"]),
            "leadership.style": row["leadership__style"],
        },
    )
    batch = leadsim.run_batch(scenario, [scenario.seed + i for i in range(3)], keep_steps=False)
    assert outcomes["latency_mean"][5] == pytest.approx(np.mean([r.summary["latency_mean"] for r in batch]))
    # scenario discovery: where is decision latency high? With an autocratic owner in larger firms.
    from ema_workbench.analysis import prim

    high = outcomes["latency_mean"] > np.percentile(outcomes["latency_mean"], 70)
    x = experiments[["org__size", "market__turbulence", "leadership__style"]]
    box = prim.Prim(x.astype({"org__size": float}), high).find_box()  # PRIM pastes non-integer limits
    assert box.box_lim["leadership__style"].iloc[0] == {"autocratic"}
    assert box.coverage > 0.5 and box.density > 0.5


def test_the_model_function_pickles_for_multiprocessing_and_bad_input_is_one_line():
    model = small_model()
    assert pickle.loads(pickle.dumps(model.function)) == model.function
    with pytest.raises(leadsim.ScenarioError, match="outcomes: unknown 'zzz'"):
        small_model(outcomes=["zzz"])
    with pytest.raises(leadsim.ScenarioError, match=r"org\.size"):
        small_model(uncertainties={"org.size": (0, 80)})
