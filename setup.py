"""Packaging of the bundled scenarios, profiles and experiments (everything else is in pyproject.toml).

``scenarios/`` (with ``scenarios/profiles/``) and ``experiments/`` stay at the repository root, where
people and the documentation look for them. The wheel must carry them too, or an installed
``leadsim run default`` has nothing to run. Mapping package names onto those folders
(``package_dir``) makes setuptools copy their YAML into the wheel as ``leadsim/data/scenarios/...``
and ``leadsim/data/experiments/...``, read at run time with :mod:`importlib.resources`
(``leadsim.bundled``). It is declarative, needs no copy step that could go stale, and the sdist
carries the same files (see MANIFEST.in). The package list has to be computed, hence this file:
pyproject.toml takes either a static list or a ``find`` directive, not both.
"""

from setuptools import find_packages, setup

BUNDLED = {
    "leadsim.data.scenarios": "scenarios",
    "leadsim.data.scenarios.profiles": "scenarios/profiles",
    "leadsim.data.experiments": "experiments",
}

setup(
    packages=[*find_packages("src"), *BUNDLED],
    package_dir={"": "src", **BUNDLED},
    package_data={"leadsim": ["py.typed"], **{name: ["*.yaml"] for name in BUNDLED}},
)
