"""The documentation site builds strictly; the example notebooks run; nothing cites files outside."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "docs" / "notebooks").glob("*.ipynb"))


def test_docs_site_builds_strictly(tmp_path):
    pytest.importorskip("mkdocs")
    pytest.importorskip("mkdocstrings")
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    site = tmp_path / "site"
    api = (site / "api" / "index.html").read_text()
    for name in ("run_batch", "RunBatch", "to_xarray", "load_scenario", "read_provenance", "model"):
        assert name in api
    odd = (site / "ODD" / "index.html").read_text()
    assert "ODD protocol" in odd and "Scenario fields" in odd
    assert (site / "notebooks" / "mesa_interop.ipynb").is_file()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_example_notebook_runs(path, tmp_path):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    notebook = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(
        notebook, timeout=240, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute()  # raises CellExecutionError, with the failing cell, when a cell fails
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]


def test_nothing_refers_to_files_outside_the_repository():
    texts = [ROOT / "README.md", ROOT / "Makefile", ROOT / "CHANGELOG.md", ROOT / "mkdocs.yml"]
    texts += [*(ROOT / "docs").rglob("*.md"), *(ROOT / "experiments").glob("*.yaml")]
    texts += [p for p in (ROOT / "src").rglob("*.py") if "core" not in p.parts]  # the core has its owner
    texts += list((ROOT / "tests").glob("*.py"))
    pattern = re.compile(r"DESIGN\.md|SOURCES\.md|\.\./shared/|\bshared/SOURCES")
    this = Path(__file__).resolve()
    offenders = [str(p.relative_to(ROOT)) for p in texts if p != this and pattern.search(p.read_text())]
    assert not offenders
