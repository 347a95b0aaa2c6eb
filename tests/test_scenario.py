"""Scenarios: loading, overrides, hashing, and one clear line for every kind of bad input."""

from __future__ import annotations

import subprocess
import sys

import pytest

import leadsim
from leadsim.bundled import SCENARIOS_DIR
from leadsim.cli.main import main


def test_default_scenario_loads_with_overrides():
    scenario = leadsim.load_scenario(
        SCENARIOS_DIR / "default.yaml",
        {
            "org.size": 120,
            "leadership.style": "autocratic",
            "leadership.params.distributed.vision": 0.9,
        },
    )
    assert scenario.org.size == 120
    assert scenario.leadership.style == "autocratic"
    assert scenario.leadership.params["distributed"].vision == 0.9


def test_hash_ignores_seed_and_story_but_not_parameters():
    base = leadsim.validate_scenario({"seed": 1, "story": "a"})
    assert leadsim.scenario_hash(base) == leadsim.scenario_hash(leadsim.validate_scenario({"seed": 2}))
    assert leadsim.scenario_hash(base) != leadsim.scenario_hash(
        leadsim.validate_scenario({"org": {"size": 51}})
    )


BAD_SCENARIOS = {
    "unknown key": ("org:\n  sise: 10\n", "org.sise: unknown field; allowed: alignment"),
    "unknown style": ("leadership:\n  style: bossy\n", "leadership.style"),
    "wrong type": ("org:\n  size: many\n", "org.size"),
    "negative size": ("org:\n  size: -5\n", "org.size: Input should be greater than or equal to 2"),
    "absurd size": ("org:\n  size: 100000000\n", "org.size: Input should be less than or equal to"),
    "nan": ("market:\n  turbulence: .nan\n", "market.turbulence: must be a finite number"),
    "shock outside horizon": (
        "days: 100\nshocks:\n  - {type: demand_drop, day: 150}\n",
        "shocks.0.day: 150 is outside the horizon; allowed 0..99",
    ),
    "unknown shock": ("shocks:\n  - {type: meteor, day: 5}\n", "shocks.0.type"),
    "who on wrong shock": (
        "shocks:\n  - {type: demand_drop, day: 5, who: owner}\n",
        "only for key_person_loss",
    ),
    "invalid yaml": ("org: [size: 3\n", "invalid YAML at line"),
    "not a mapping": ("- a\n- b\n", "expected a mapping"),
    "unknown style param": (
        "leadership:\n  params:\n    servant:\n      kindness: 1\n",
        "leadership.params.servant.kindness: unknown field; allowed: authority_threshold",
    ),
}


@pytest.mark.parametrize("name", BAD_SCENARIOS)
def test_bad_scenario_is_one_line_exit_2_and_writes_nothing(name, tmp_path, capsys):
    text, expected = BAD_SCENARIOS[name]
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    out = tmp_path / "out"
    assert main(["run", str(path), "--out", str(out), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"leadsim: error: {path}: ")
    assert expected in err
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["bad.yaml"]


@pytest.mark.parametrize(
    "argv, expected",
    [
        (["run", "no/such/file.yaml"], "no such scenario file"),
        (["run", "default", "--set", "org.size"], "expected KEY=VALUE"),
        (["run", "default", "--set", "org.size=0"], "org.size"),
        (["run", "default", "--days", "0"], "days"),
        (["run", "default", "--set", "shocks.3.day=5"], "shocks.3: no list item '3'"),
    ],
)
def test_bad_command_line_is_one_line_exit_2(argv, expected, capsys, tmp_path):
    assert main([*argv, "--out", str(tmp_path / "o"), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and expected in err
    assert not (tmp_path / "o").exists()


def test_no_traceback_from_the_real_command(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("org:\n  size: -1\n")
    done = subprocess.run(
        [sys.executable, "-m", "leadsim.cli.main", "run", str(bad)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr and done.stderr.count("\n") == 1
    assert not (tmp_path / "out").exists()


def test_help_explains_every_option(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["run", "--help"])
    assert exit_info.value.code == 0
    text = capsys.readouterr().out
    for option in ("--seed", "--days", "--out", "--set", "KEY=VALUE", "steps.csv", "summary.json"):
        assert option in text


def test_scenarios_command_lists_bundled(capsys):
    assert main(["scenarios"]) == 0
    assert "default" in capsys.readouterr().out
