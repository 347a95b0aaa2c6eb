"""`leadsim compare` and `leadsim.compare.compare` on small, short model runs."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

import leadsim
from leadsim.cli.main import main
from leadsim.compare import METRICS, StructureError, TooFewReplications, compare, parse_structures, stats
from leadsim.compare.narrative import flip_sentences, metric_sentence
from leadsim.compare.structures import parse_structure

ROOT = Path(__file__).resolve().parents[1]
PROFILE = {
    "name": "tiny_firm",
    "days": 60,
    "seed": 5,
    "org": {"size": 15, "span_of_control": 5},
    "market": {"turbulence": 0.3, "random_shocks": {"rate_per_year": 2.0}},
    "shocks": [{"type": "demand_drop", "day": 30, "duration": 10, "magnitude": 0.3}],
}
SMALL_GRID = {"sizes": (8, 20), "turbulence": (0.0, 1.5), "grid_reps": 3}


@pytest.fixture(scope="module")
def profile_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("profile") / "tiny.yaml"
    path.write_text(yaml.safe_dump(PROFILE))
    return path


@pytest.fixture(scope="module")
def result(profile_path):
    return compare(profile_path, "centralised,distributed,autocratic/democratic", reps=6, **SMALL_GRID)


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
    profile = leadsim.validate_scenario(
        {**PROFILE, "leadership": {"params": {"distributed": {"authority_threshold": 0.4}}}}
    )
    applied = parse_structure("autocratic/distributed").apply(profile)
    assert applied.leadership.by_level == ["autocratic", "distributed"]
    assert applied.leadership.params["distributed"].authority_threshold == 0.4
    assert applied.org == profile.org and applied.shocks == profile.shocks
    assert profile.leadership.by_level is None  # the profile itself is untouched


def test_every_structure_runs_the_same_seeds_and_shocks(result):
    runs = result.runs
    seeds = {s.name: runs[runs["structure"] == s.name]["seed"].tolist() for s in result.structures}
    assert all(v == result.seeds for v in seeds.values())
    shocks = result.shocks.set_index(["structure", "rep", "shock"])[["type", "day", "magnitude"]]
    first, *others = (shocks.loc[s.name] for s in result.structures)
    for other in others:
        pd.testing.assert_frame_equal(first, other)
    assert set(runs["style"]) == {"autocratic", "distributed", "mixed:autocratic/democratic"}


def test_tables_hold_every_metric_with_intervals(result):
    headline = result.headline
    assert len(headline) == 2 * len(METRICS)
    measured = headline[headline["verdict"] != "not measured"]
    assert (measured["baseline_low"] <= measured["baseline_mean"]).all()
    assert (measured["diff_low"] <= measured["diff"]).all()
    assert (measured["diff"] <= measured["diff_high"]).all()
    assert measured["p_better"].between(0, 1).all()
    assert (measured["n"] == 6).all()
    # The headline's difference is the mean of the per-run paired differences.
    runs = result.runs.set_index(["structure", "rep"])
    expected = (
        runs.loc["distributed"]["engagement_mean"] - runs.loc["centralised"]["engagement_mean"]
    ).mean()
    row = headline[
        (headline["challenger"] == "distributed") & (headline["metric"] == "engagement_mean")
    ].iloc[0]
    assert row["diff"] == pytest.approx(expected)
    assert set(result.means["structure"]) == {s.name for s in result.structures}


def test_sentences_are_built_from_the_numbers(result):
    row = result.headline.iloc[1].to_dict()
    sentence = metric_sentence(row)
    assert "distributed" in sentence and "centralised" in sentence
    changed = {**row, "challenger_mean": 0.4567, "verdict": "undecided", "reps_needed": 77}
    other = metric_sentence(changed)
    assert other != sentence and "0.46" in other and "77" in other
    assert any("conditions" in s for s in flip_sentences(result))


def test_flip_grid_covers_every_condition(result):
    flip = result.flip
    assert set(flip["size"]) == {8, 20} and set(flip["turbulence"]) == {0.0, 1.5}
    assert set(flip["challenger"]) == {"distributed", "autocratic/democratic"}
    assert (flip["n"] == 3).all()


def test_pairing_narrows_the_interval_on_real_runs(profile_path):
    """Same seeds for both structures against independent seeds for the second one."""
    profile = leadsim.load_scenario(profile_path)
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


def test_report_files_with_provenance(result, tmp_path):
    paths = result.write(tmp_path / "report")
    names = {p.name for p in (tmp_path / "report").iterdir()}
    assert {
        "report.html",
        "headline.csv",
        "headline.md",
        "flip.csv",
        "provenance.json",
        "timeseries.png",
        "resilience.png",
        "flip.png",
    } <= names
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no staging left
    text = paths["report.html"].read_text()
    assert 'src="http' not in text and 'href="http' not in text and "<script" not in text
    assert text.count("data:image/png;base64,") == 3
    assert "This is a model" in text and leadsim.__version__ in text
    headline = pd.read_csv(paths["headline.csv"], comment="#")
    assert len(headline) == len(result.headline)
    header = paths["headline.csv"].read_text().splitlines()[:6]
    assert any(result.provenance["profile_hash"] in line for line in header)
    assert any("seeds: 5–10" in line for line in header)
    provenance = json.loads(paths["provenance.json"].read_text())
    assert provenance["seeds"] == list(range(5, 11))
    assert set(provenance["structures"]) == {"centralised", "distributed", "autocratic/democratic"}
    markdown = paths["headline.md"].read_text()
    assert "| measure |" in markdown and "P(distributed better)" in markdown


def test_too_few_replications_and_bad_grid_are_refused(profile_path):
    with pytest.raises(TooFewReplications, match="at least 3"):
        compare(profile_path, reps=2, flip=False)
    with pytest.raises(TooFewReplications, match="grid_reps"):
        compare(profile_path, reps=3, grid_reps=1)


def test_python_api_returns_frames_without_the_grid(profile_path):
    found = compare(profile_path, ["servant", "distributed"], reps=3, flip=False, days=40)
    assert isinstance(found.headline, pd.DataFrame) and found.flip.empty
    assert found.profile.days == 40 and len(found.series["day"].unique()) == 40
    assert np.isfinite(found.headline["diff"]).any()


# ---------------------------------------------------------------- command line


def _cli(args: list[str], capsys) -> tuple[int, str, str]:
    code = main(["compare", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_writes_the_report_and_prints_the_headline(profile_path, tmp_path, capsys):
    out = tmp_path / "cmp"
    code, stdout, _ = _cli(
        [
            str(profile_path),
            "--reps",
            "3",
            "--out",
            str(out),
            "--sizes",
            "8",
            "--turbulence",
            "0,1",
            "--grid-reps",
            "3",
            "--quiet",
        ],
        capsys,
    )
    assert code == 0
    assert "| decision latency (days) |" in stdout and str(out / "report.html") in stdout
    assert (out / "report.html").is_file()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--structures", "centralised,matrix"], "unknown structure 'matrix'"),
        (["--reps", "2"], "too few for a confidence interval"),
        (["--grid-reps", "1"], "grid_reps 1 is too few"),
        (["--sizes", "ten"], "--sizes: expected comma-separated numbers"),
        (["--set", "org.size=-3"], "org.size"),
        (["--sizes", "1,20"], "at size 1"),
    ],
)
def test_cli_bad_input_is_one_line_and_writes_nothing(profile_path, tmp_path, capsys, args, message):
    out = tmp_path / "cmp"
    code, _, stderr = _cli([str(profile_path), "--out", str(out), "--quiet", *args], capsys)
    assert code == 2
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("leadsim: error: ") and message in lines[0]
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_cli_profile_that_fails_validation(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump({**PROFILE, "org": {"size": 15, "spann": 3}}))
    code, _, stderr = _cli([str(bad), "--out", str(tmp_path / "cmp")], capsys)
    assert code == 2 and "org.spann: unknown field" in stderr
    assert len(stderr.strip().splitlines()) == 1 and not (tmp_path / "cmp").exists()


def test_bundled_profiles_are_valid():
    profiles = sorted((ROOT / "scenarios" / "profiles").glob("*.yaml"))
    assert len(profiles) >= 2
    for path in profiles:
        profile = leadsim.load_scenario(path)
        assert profile.shocks, f"{path.name}: a profile should carry the shocks the firm fears"


def test_a_profile_without_shocks_says_resilience_was_not_measured(tmp_path):
    calm = {**PROFILE, "market": {"turbulence": 0.0}, "shocks": []}
    found = compare(calm, "centralised,servant", reps=3, flip=False, days=30)
    row = found.headline[found.headline["metric"] == "resilience_index"].iloc[0]
    assert row["verdict"] == "not measured"
    assert any("Resilience under shocks" in w and "not measured" in w for w in found.warnings)
    text = found.write(tmp_path / "calm")["report.html"].read_text()
    assert "no shock hit the firm" in text and "grid was not run" in text
