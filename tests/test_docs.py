"""The documentation says what the code does."""

from __future__ import annotations

from pathlib import Path

from leadsim.cli.main import main
from leadsim.paramdoc import BEGIN, END, field_rows, generated_section

ROOT = Path(__file__).resolve().parents[1]


def test_odd_parameter_tables_are_current():
    text = (ROOT / "docs" / "ODD.md").read_text()
    embedded = text[text.index(BEGIN) : text.index(END) + len(END)]
    assert embedded == generated_section(), "docs/ODD.md is out of date: run `make docs`"


def test_every_field_has_a_meaning():
    missing = [name for name, _, meaning in field_rows() if not meaning]
    assert not missing


def test_params_command_filters(capsys):
    assert main(["params", "org.size"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("org.size") and "people, owner included" in out
