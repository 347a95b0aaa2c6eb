"""Smoke test of ``leadsim bench --quick``: structure of the table and CSV, numbers sane.

Speed is never asserted: the machine running the tests is not the benchmark machine.
"""

import contextlib
import csv
import io
import math

import pytest

from leadsim.bench import CASE_NAMES, Target, format_value, scaling_exponent
from leadsim.cli.main import main


@pytest.fixture(scope="module")
def quick(tmp_path_factory):
    """One quick benchmark for the whole module: (exit code, stdout, CSV rows)."""
    path = tmp_path_factory.mktemp("bench") / "bench.csv"
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["bench", "--quick", "--csv", str(path)])
    with path.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    return code, out.getvalue(), rows


@pytest.mark.timeout(120)
def test_quick_bench_runs_every_case(quick):
    code, _, rows = quick
    assert code == 0
    assert {row["case"] for row in rows} == set(CASE_NAMES)


def test_csv_numbers_are_positive_and_finite(quick):
    _, _, rows = quick
    for row in rows:
        if row["case"] == "reference" and "not available" in row["detail"]:
            assert row["value"] == ""
            continue
        value = float(row["value"])
        assert math.isfinite(value), row
        if not row["quantity"].startswith("exponent"):  # a fitted slope may be anything at tiny sizes
            assert value > 0, row
        assert int(row["repeats"]) >= 1


def test_csv_carries_machine_and_no_verdicts_at_quick_sizes(quick):
    _, _, rows = quick
    for row in rows:
        for column in ("cpu", "cores", "python", "numpy", "leadsim"):
            assert row[column], column
        assert row["passed"] == ""  # targets are judged at full sizes only
    targets = {row["quantity"]: row["target"] for row in rows if row["case"] == "single"}
    assert targets["simulation"] == "≤ 20 ms"


def test_printed_table_is_markdown_with_every_row(quick):
    _, out, rows = quick
    assert out.startswith("Machine: ")
    table = [line for line in out.splitlines() if line.startswith("|")]
    assert table[0] == "| Case | Measure | Value | Target | Pass | Notes |"
    assert len(table) == 2 + len(rows)
    assert all(line.count("|") == 7 for line in table)


def test_missing_scenario_is_one_line(capsys):
    assert main(["bench", "--quick", "--scenario", "no/such.yaml"]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


def test_unknown_case_is_a_usage_error(capsys):
    assert main(["bench", "--only", "nonsense"]) == 2
    err = capsys.readouterr().err
    assert "nonsense" in err and "single" in err
    assert len(err.strip().splitlines()) == 1


def test_scaling_exponent_recovers_a_power_law():
    sizes = [1000, 2000, 4000, 8000]
    assert scaling_exponent(sizes, [3e-6 * n for n in sizes]) == pytest.approx(1.0)
    assert scaling_exponent(sizes, [1e-9 * n**2 for n in sizes]) == pytest.approx(2.0)


def test_targets_and_formatting():
    at_most, at_least = Target(20.0, True, "≤ 20 ms"), Target(100.0, False, "≥ 100×")
    assert at_most.met(12.0) and not at_most.met(25.0)
    assert at_least.met(150.0) and not at_least.met(math.nan)
    assert format_value(1234.4, "MB") == "1,234 MB"
    assert format_value(12.34, "ms") == "12.3 ms"
    assert format_value(math.nan, "×") == "—"
