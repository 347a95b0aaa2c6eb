"""leadsim as a researcher installs it: the wheel, its bundled files, the extras, a fast start."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import time
import zipfile
from pathlib import Path

import pytest

from leadsim.cli.main import main

ROOT = Path(__file__).resolve().parents[1]


def _run(args: list, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    # sdist first, then the wheel from the unpacked sdist: a clean build (no stale build/ folder)
    # that also checks the sdist carries everything the wheel needs (MANIFEST.in)
    done = _run([sys.executable, "-m", "build", "--outdir", dist, ROOT], ROOT, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    (path,) = dist.glob("leadsim-*.whl")
    return path


@pytest.mark.slow
def test_wheel_carries_the_bundled_files_and_lean_metadata(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        metadata = archive.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    for folder in ("scenarios", "experiments"):
        shipped = {Path(n).name for n in names if Path(n).parent == Path("leadsim/data", folder)}
        assert shipped == {p.name for p in (ROOT / folder).glob("*.yaml")}
    profiles = {Path(n).name for n in names if n.startswith("leadsim/data/scenarios/profiles/")}
    assert profiles == {p.name for p in (ROOT / "scenarios" / "profiles").glob("*.yaml")}
    assert any(n.endswith("licenses/LICENSE") for n in names)
    assert "License-Expression: MIT" in metadata
    required = [line for line in metadata.splitlines() if line.startswith("Requires-Dist:")]
    core = [line for line in required if "extra ==" not in line]
    assert not any(name in " ".join(core).lower() for name in ("salib", "dask", "solara", "altair", "ema"))
    assert not any("networkx" in line for line in required)


@pytest.mark.slow
def test_installed_wheel_runs_outside_the_checkout(wheel, tmp_path):
    venv = tmp_path / "venv"
    assert _run([sys.executable, "-m", "venv", venv], tmp_path).returncode == 0
    python, leadsim = venv / "bin" / "python", venv / "bin" / "leadsim"
    done = _run([python, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", wheel], tmp_path)
    assert done.returncode == 0, done.stderr
    # The dependencies come from this test environment (downloading them would take minutes);
    # the fresh environment's own site-packages comes first, so leadsim is the wheel's.
    site = Path(
        _run([python, "-c", "import site; print(site.getsitepackages()[0])"], tmp_path).stdout.strip()
    )
    (site / "zz_test_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    work = tmp_path / "work"
    work.mkdir()

    where = _run([python, "-c", "import leadsim; print(leadsim.__file__)"], work)
    assert where.returncode == 0, where.stderr
    assert Path(where.stdout.strip()).is_relative_to(venv) and not Path(where.stdout).is_relative_to(ROOT)

    listed = _run([leadsim, "scenarios", "--json"], work)
    assert listed.returncode == 0, listed.stderr
    records = json.loads(listed.stdout)
    assert {r["name"] for r in records} == {p.stem for p in (ROOT / "scenarios").glob("*.yaml")}
    assert all(Path(r["path"]).is_relative_to(venv) for r in records)

    ran = _run([leadsim, "run", "default", "--out", "out/default", "--json"], work)
    assert ran.returncode == 0, ran.stderr
    assert json.loads(ran.stdout)["scenario"] == "default"
    assert {p.name for p in (work / "out" / "default").iterdir()} == {
        "steps.csv",
        "summary.json",
        "figure.png",
    }

    compared = _run([leadsim, "compare", "default", "--reps", "4", "--quiet"], work, timeout=240)
    assert compared.returncode == 0, compared.stderr
    assert (work / "out" / "compare-default" / "report.html").is_file()

    api = _run([python, "-c", "import leadsim; print(leadsim.load_scenario('default').name)"], work)
    assert api.stdout.strip() == "default", api.stderr


def test_help_starts_fast():
    """`leadsim --help` imports no command module but the chosen one (budget 0.5 s; 1.5 s here
    so that a busy shared machine does not fail the suite)."""
    best = min(_timed([sys.executable, "-m", "leadsim.cli.main", "--help"]) for _ in range(3))
    assert best < 1.5
    done = _run(
        [
            sys.executable,
            "-c",
            "import sys, leadsim.cli.main as m; m.build_parser(['--help']);"
            "heavy = ('numpy', 'pandas', 'mesa', 'numba');"
            "print(sorted(k for k in sys.modules if k.split('.')[0] in heavy))",
        ],
        ROOT,
    )
    assert done.stdout.strip() == "[]", done.stdout


def _timed(args: list) -> float:
    start = time.perf_counter()
    assert _run(args, ROOT).returncode == 0
    return time.perf_counter() - start


@pytest.mark.parametrize(
    ("package", "argv", "extra"),
    [
        ("SALib", ["sensitivity", "sensitivity", "--out", "{tmp}/s", "--quiet"], "sensitivity"),
        ("distributed", ["sweep", "quick", "--scheduler", "tcp://127.0.0.1:9", "--out", "{tmp}/s"], "dask"),
        ("solara", ["demo", "--port", "0"], "demo"),
    ],
)
def test_a_missing_extra_names_the_extra(package, argv, extra, monkeypatch, tmp_path, capsys):
    # None in sys.modules makes `import package` fail as if it were not installed
    for name in [m for m in sys.modules if m == package or m.startswith(package + ".")]:
        monkeypatch.setitem(sys.modules, name, None)
    monkeypatch.setitem(sys.modules, package, None)
    assert main([a.format(tmp=tmp_path) for a in argv]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert f"pip install 'leadsim[{extra}]'" in err
    assert not (tmp_path / "s").exists()
