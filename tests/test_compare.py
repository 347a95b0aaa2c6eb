"""`leadsim compare` and `leadsim.compare.compare` on small, short model runs."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

import leadsim
from leadsim.cli.main import main
from leadsim.compare import (
    StructureError,
    TooFewReplications,
    calibrate,
    compare,
    load_firm,
    parse_structures,
    stats,
)
from leadsim.compare.decision import OUTCOMES, break_even_month, jcurve_frame, transition_cash
from leadsim.compare.narrative import flip_sentences, metric_sentence, recommendation, three_numbers
from leadsim.compare.profile import Transition, split_profile
from leadsim.compare.structures import parse_structure

ROOT = Path(__file__).resolve().parents[1]
PROFILE = {
    "name": "tiny_firm",
    "days": 60,
    "seed": 5,
    "warmup_days": 20,
    "org": {"size": 12, "span_of_control": 5},
    "market": {"turbulence": 0.3, "random_shocks": {"rate_per_year": 2.0}},
    "shocks": [{"type": "demand_drop", "day": 30, "duration": 10, "magnitude": 0.3}],
    "observed": {
        "structure": "centralised",
        "turnover_per_year": 0.15,
        "decision_wait_days": 1.0,
        "revenue_per_year": 900_000,
    },
    "transition": {"cost": {"training": 10_000}, "duration_days": 20, "learning_dip": 0.1},
    "calibration": {"days": 40},
}
SMALL = {"draws": 3, "reps": 2, "days": 90}


@pytest.fixture(scope="module")
def profile_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("profile") / "tiny.yaml"
    path.write_text(yaml.safe_dump(PROFILE))
    return path


@pytest.fixture(scope="module")
def fitted(profile_path):
    return calibrate(profile_path, samples=8, seeds=1)


@pytest.fixture(scope="module")
def result(profile_path, fitted):
    return compare(profile_path, "centralised,distributed,autocratic/democratic", calibration=fitted, **SMALL)


def test_structures_presets_aliases_and_mixes():
    assert parse_structure("centralised").by_level == ("autocratic",)
    assert parse_structure("Centralized").name == "centralised"
    assert parse_structure("autocratic/distributed").by_level == ("autocratic", "distributed")
    assert parse_structure("laissez-faire").by_level == ("laissez_faire",)
    for style in leadsim.STYLE_NAMES:
        assert parse_structure(style).by_level[0] == style
    with pytest.raises(StructureError, match=r"unknown structure 'matrix'.*allowed"):
        parse_structure("matrix")
    with pytest.raises(StructureError, match="unknown style 'boss'"):
        parse_structure("autocratic/boss")
    with pytest.raises(StructureError, match="at least two"):
        parse_structures("distributed")
    with pytest.raises(StructureError, match="are the same"):
        parse_structures("centralised,autocratic")


def test_a_structure_changes_only_the_leadership():
    scenario, _ = split_profile(PROFILE)
    profile = leadsim.validate_scenario(
        {**scenario, "leadership": {"params": {"distributed": {"authority_threshold": 0.4}}}}
    )
    applied = parse_structure("autocratic/distributed").apply(profile)
    assert applied.leadership.by_level == ["autocratic", "distributed"]
    assert applied.leadership.params["distributed"].authority_threshold == 0.4
    assert applied.org == profile.org and applied.shocks == profile.shocks
    assert profile.leadership.by_level is None  # the profile itself is untouched


def test_every_structure_runs_the_same_seeds_within_each_version(result):
    runs = result.runs
    assert len(runs) == 3 * 3 * 2 and set(runs["draw"]) == {0, 1, 2}
    by = {s.name: runs[runs["structure"] == s.name].sort_values("rep") for s in result.structures}
    first, *others = by.values()
    for other in others:
        assert other["seed"].tolist() == first["seed"].tolist()
        assert other["draw"].tolist() == first["draw"].tolist()
        for path in ("market.decision_rate", "org.competence.mean"):
            assert np.allclose(other[path], first[path])  # the same plausible firm
    # Each version has its own seeds; the versions differ in their parameters.
    assert first["seed"].nunique() == len(first)
    assert first.groupby("draw")["market.decision_rate"].nunique().eq(1).all()
    assert first["market.decision_rate"].nunique() > 1
    if result.transition_modelled:  # every firm starts as the status quo and switches in the run
        changes = [sc.leadership.change for sc in result.scenarios]
        assert changes[0] is None
        assert [c.by_level for c in changes[1:]] == [["distributed"], ["autocratic", "democratic"]]
    else:
        assert set(runs["style"]) == {"autocratic", "distributed", "mixed:autocratic/democratic"}


def test_answers_count_versions_and_give_ranges(result):
    answers = result.answers
    assert len(answers) == 2 * len(OUTCOMES)
    measured = answers[answers["answer"] != "not measured"]
    assert (measured["versions"] == 3).all()
    survival = measured[measured["outcome"] == "survived"]
    assert survival["baseline_median"].between(0, 1).all() and survival["baseline_p10"].isna().all()
    measured = measured[measured["outcome"] != "survived"]  # a share of runs: no range
    assert (measured["versions_better"] + measured["versions_worse"] <= measured["versions"]).all()
    for name in ("baseline", "challenger", "diff"):
        assert (measured[f"{name}_p10"] <= measured[f"{name}_median"] + 1e-9).all()
        assert (measured[f"{name}_median"] <= measured[f"{name}_p90"] + 1e-9).all()
    # A version's vote is the mean of its paired differences.
    versions = result.versions
    runs = result.runs.set_index(["structure", "rep"])
    diff = runs.loc["distributed"]["latency_mean"] - runs.loc["centralised"]["latency_mean"]
    expected = diff.groupby(runs.loc["centralised"]["draw"]).mean()
    mine = versions[(versions["challenger"] == "distributed") & (versions["outcome"] == "latency_mean")]
    assert np.allclose(mine.set_index("draw")["diff"].sort_index(), expected.sort_index(), equal_nan=True)
    # Three years are not simulated here: the 3-year cash is not measured, the 1-year cash is not either.
    assert set(answers[answers["answer"] == "not measured"]["outcome"]) >= {"cash_1y", "cash_3y"}


def test_the_answer_in_words_and_numbers(result):
    sentence = recommendation(result)
    assert any(word in sentence for word in ("Switch to", "Stay", "We cannot tell"))
    cards = three_numbers(result)
    assert [c[0] for c in cards] == ["Wait for a decision", "People leaving a year", "Cash after 3 years"]
    row = result.headline.iloc[1].to_dict()
    assert "distributed" in metric_sentence(row)


def test_a_planted_transition_cost_moves_break_even_later():
    """Pure arrays: the challenger gains 100 a day from the switch; the cost must be earned back."""
    days = 260
    base = np.cumsum(np.full((4, days), 1000.0), axis=1)
    challenger = base + np.arange(days) * 100.0
    revenue = np.full((4, days), 1000.0)
    draws = np.array([0, 0, 1, 1])
    months = {}
    for cost in (0.0, 5_000.0, 20_000.0):
        change = Transition(cost={"training": cost}, duration_days=20, learning_dip=0.1)
        path = transition_cash(base, challenger, revenue, 10, change, 1.0)
        curve = jcurve_frame({"x": path - base}, draws)
        months[cost] = break_even_month(curve, "x")
        # The dip fades linearly over 20 days: 0.1 × 1000 × (20 − 19·20/2/20) = 1050.
        assert path[0, -1] - base[0, -1] == pytest.approx((days - 11) * 100 - cost - 1050)
    assert months[0.0] <= months[5_000.0] < months[20_000.0]
    never = transition_cash(base, challenger, revenue, 10, Transition(cost={"x": 1e9}), 1.0)
    assert math.isnan(break_even_month(jcurve_frame({"x": never - base}, draws), "x"))


def test_a_planted_transition_cost_moves_break_even_on_real_runs(profile_path, fitted):
    runs = {}
    for cost in (0.0, 200_000.0):
        found = compare(
            profile_path,
            draws=2,
            reps=2,
            days=3 * 260,
            calibration=fitted,
            transition={"cost": {"training": cost}},
        )
        runs[cost] = found
    cheap, dear = runs[0.0], runs[200_000.0]
    a = cheap.runs[cheap.runs["structure"] == "distributed"]["cash_3y"].to_numpy()
    b = dear.runs[dear.runs["structure"] == "distributed"]["cash_3y"].to_numpy()
    if dear.transition_modelled:
        # Paid inside the model: less cash on average (a firm that fails keeps what it had left).
        assert np.mean(a - b) > 0
    else:  # laid over paired runs: exactly the cost, run by run
        assert np.allclose(a - b, 200_000.0)
    even = {k: break_even_month(v.jcurve, "distributed") for k, v in runs.items()}
    later = math.isnan(even[200_000.0]) or (math.isfinite(even[0.0]) and even[200_000.0] >= even[0.0])
    assert later, even


def test_report_files_plain_csv_and_no_hash_above_the_fold(result, tmp_path):
    paths = result.write(tmp_path / "report")
    names = {p.name for p in (tmp_path / "report").iterdir()}
    assert {"report.html", "headline.md", "answer.csv", "jcurve.csv", "fit.csv", "posterior.csv"} <= names
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no staging left
    text = paths["report.html"].read_text()
    assert 'src="http' not in text and 'href="http' not in text and "<script" not in text
    answer = text[text.index("id='answer'") : text.index("</section>")]
    assert result.provenance["profile_hash"] not in answer
    assert result.provenance["profile_hash"] in text[text.index("<footer>") :]
    for path in sorted((tmp_path / "report").glob("*.csv")):
        frame = pd.read_csv(path)
        with open(path, newline="", encoding="utf-8") as fh:
            rows = list(csv.reader(fh))
        sidecar = json.loads(path.with_name(path.name + ".json").read_text())
        assert rows[0] == list(frame.columns) == sidecar["columns"], path.name
        assert len(rows) == len(frame) + 1, path.name
        assert sidecar["provenance"]["seeds"] == result.seeds
    markdown = paths["headline.md"].read_text()
    assert "| measure |" in markdown and "P(distributed better)" in markdown


def test_too_few_runs_and_bad_switch_day_are_refused(profile_path, fitted):
    with pytest.raises(TooFewReplications, match="at least 3"):
        compare(profile_path, draws=1, reps=2, calibration=fitted)
    with pytest.raises(ValueError, match="switch day"):
        compare(profile_path, draws=2, reps=2, days=60, switch_day=60, calibration=fitted)


def test_flip_grid_still_runs_on_request(profile_path, fitted):
    found = compare(
        profile_path,
        calibration=fitted,
        draws=2,
        reps=2,
        days=40,
        flip=True,
        sizes=(8, 16),
        turbulence=(0.0, 1.0),
        grid_reps=3,
    )
    assert set(found.flip["size"]) == {8, 16} and (found.flip["n"] == 3).all()
    assert flip_sentences(found)


# ---------------------------------------------------------------- command line


def _cli(args: list[str], capsys) -> tuple[int, str, str]:
    code = main(["compare", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_writes_the_report_and_prints_the_answer(profile_path, tmp_path, capsys):
    out = tmp_path / "cmp"
    args = [str(profile_path), "--draws", "2", "--reps", "2", "--days", "60", "--samples", "8"]
    code, stdout, _ = _cli([*args, "--out", str(out), "--no-pdf", "--quiet", "--switch-day", "5"], capsys)
    assert code == 0
    assert "Wait for a decision" in stdout and "| wait for a decision |" in stdout
    assert str(out / "report.html") in stdout and (out / "report.html").is_file()
    assert json.loads((out / "provenance.json").read_text())["switch_day"] == 5


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--structures", "centralised,matrix"], "unknown structure 'matrix'"),
        (["--reps", "1", "--draws", "2"], "too few"),
        (["--learning-dip", "2"], "--learning-dip"),
        (["--switch-day", "9999"], "switch day 9999"),
        (["--samples", "3"], "--samples"),
        (["--set", "org.size=-3"], "org.size"),
    ],
)
def test_cli_bad_input_is_one_line_and_writes_nothing(profile_path, tmp_path, capsys, args, message):
    out = tmp_path / "cmp"
    code, _, stderr = _cli([str(profile_path), "--out", str(out), "--quiet", "--no-pdf", *args], capsys)
    assert code == 2
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("leadsim: error: ") and message in lines[0]
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_bundled_profiles_are_valid_and_two_state_observed_figures():
    profiles = sorted((ROOT / "scenarios" / "profiles").glob("*.yaml"))
    assert len(profiles) >= 2
    observed = 0
    for path in profiles:
        firm = load_firm(path)
        assert firm.scenario.shocks, f"{path.name}: a profile should carry the shocks the firm fears"
        observed += len(firm.observed.figures()) >= 3 and firm.transition.total_cost > 0
    assert observed >= 2


def test_a_profile_without_shocks_or_figures_uses_the_priors(tmp_path):
    calm = {k: v for k, v in PROFILE.items() if k not in ("observed", "transition")}
    calm = {**calm, "market": {"turbulence": 0.0}, "shocks": []}
    found = compare(calm, "centralised,servant", draws=2, reps=2, days=30, samples=8)
    assert not found.calibration.calibrated
    assert any("no observed figures" in w for w in found.warnings)
    row = found.headline[found.headline["metric"] == "resilience_index"].iloc[0]
    assert row["verdict"] == "not measured"
    text = found.write(tmp_path / "calm")["report.html"].read_text()
    assert "no shock hit the firm" in text.lower() and "Nothing about your firm was observed" in text


def test_pairing_narrows_the_interval_on_real_runs(profile_path):
    """Same seeds for both structures against independent seeds for the second one."""
    profile = load_firm(profile_path).scenario
    a, b = (parse_structure(name).apply(profile) for name in ("centralised", "distributed"))
    seeds = list(range(8))
    runs_a = leadsim.summaries_frame(leadsim.run_batch(a, seeds, keep_steps=False))
    runs_b = leadsim.summaries_frame(leadsim.run_batch(b, seeds, keep_steps=False))
    runs_b_other = leadsim.summaries_frame(leadsim.run_batch(b, [s + 1000 for s in seeds], keep_steps=False))
    # The same people (traits, network) on both sides: engagement pairs tightly. Output and
    # resilience also carry each structure's own market dynamics, so pairing narrows them less.
    for key, ratio in (("engagement_mean", 0.9), ("competence_final", 0.9)):
        paired = stats.paired_difference(runs_a[key], runs_b[key])
        unpaired = stats.unpaired_difference(runs_a[key], runs_b_other[key])
        assert paired.half_width < ratio * unpaired.half_width, key
