"""Reading scenario files, applying dotted overrides, and explaining what is wrong in one line."""

from __future__ import annotations

import copy
import hashlib
import json
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from leadsim.scenario.schema import Scenario

# libyaml's safe loader when PyYAML was built with it (twenty times faster), else the Python one
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class ScenarioError(ValueError):
    """A scenario that cannot be used. The message is one line: where, which field, what is allowed."""


def parse_value(text: str) -> Any:
    """Read a ``--set`` value the way YAML would (numbers, booleans, lists, strings)."""
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError:
        return text


def set_dotted(data: dict[str, Any], path: str, value: Any) -> None:
    """Set ``data[a][b][c] = value`` for ``path == "a.b.c"``; list items by index (``shocks.0.day``)."""
    keys = path.split(".")
    node: Any = data
    for depth, key in enumerate(keys[:-1]):
        if isinstance(node, list):
            node = _list_item(node, key, ".".join(keys[: depth + 1]))
            continue
        child = node.get(key)
        if child is None:
            child = {}
            node[key] = child
        elif not isinstance(child, dict | list):
            raise ScenarioError(f"{path}: '{'.'.join(keys[: depth + 1])}' is a value, not a section")
        node = child
    last = keys[-1]
    if isinstance(node, list):
        index = _list_index(node, last, path)
        node[index] = value
    else:
        node[last] = value


def _list_index(items: list, key: str, path: str) -> int:
    if not key.isdigit() or int(key) >= len(items):
        raise ScenarioError(f"{path}: no list item '{key}'; allowed 0..{len(items) - 1}")
    return int(key)


def _list_item(items: list, key: str, path: str) -> Any:
    return items[_list_index(items, key, path)]


def apply_overrides(data: Mapping[str, Any], overrides: Mapping[str, Any]) -> dict[str, Any]:
    """A deep copy of raw scenario data with each dotted override applied."""
    result = copy.deepcopy(dict(data))
    for path, value in overrides.items():
        set_dotted(result, path, value)
    return result


def validate_scenario(
    data: Mapping[str, Any], source: str = "scenario", overrides: Mapping[str, Any] | None = None
) -> Scenario:
    """Validate raw data (plus overrides) into a :class:`Scenario` or raise a one-line ScenarioError."""
    if not isinstance(data, Mapping):
        raise ScenarioError(f"{source}: expected a mapping of fields at the top, got {_kind(data)}")
    raw = apply_overrides(data, overrides or {})
    try:
        return Scenario.model_validate(raw)
    except ValidationError as exc:
        raise ScenarioError(f"{source}: {describe_error(exc, Scenario)}") from None


ScenarioSource = Scenario | Mapping[str, Any] | str | Path


def load_scenario(source: ScenarioSource, overrides: Mapping[str, Any] | None = None) -> Scenario:
    """A validated scenario from a YAML file, a bundled scenario's name, a mapping or a Scenario.

    Args:
        source: a scenario YAML path, a bundled scenario's name (``"default"``, see
            ``leadsim scenarios``), a mapping of fields, or a :class:`Scenario` (returned as it is
            when there are no overrides).
        overrides: dotted field paths and values applied before validation,
            e.g. ``{"org.size": 120, "leadership.style": "autocratic"}``.

    Returns:
        The validated scenario.

    Raises:
        ScenarioError: one line naming the file, the field and what is allowed.
    """
    if isinstance(source, Scenario):
        if not overrides:
            return source
        return validate_scenario(source.model_dump(), f"scenario '{source.name}'", overrides)
    if isinstance(source, Mapping):
        return validate_scenario(source, "scenario", overrides)
    if not isinstance(source, str | Path):
        raise ScenarioError(
            f"expected a scenario (a Scenario, a mapping, a YAML path or a bundled name), got {_kind(source)}"
        )
    from leadsim.bundled import resolve_scenario  # the bundled files import this module

    path = resolve_scenario(source)
    data = read_yaml(path, "scenario")
    if data is None:
        raise ScenarioError(f"{path}: the file is empty; expected scenario fields (name, org, ...)")
    return validate_scenario(data, str(path), overrides)


def read_yaml(path: Path, kind: str) -> Any:
    """The data in a YAML file, or a one-line ScenarioError saying why it cannot be read.

    Args:
        path: the file.
        kind: what the file should be ("scenario", "experiment"), for the message.
    """
    if not path.is_file():
        raise ScenarioError(f"{path}: no such {kind} file")
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "not valid YAML"
        raise ScenarioError(f"{path}: invalid YAML{where}: {problem}") from None
    except UnicodeDecodeError:
        raise ScenarioError(f"{path}: not a text file (expected UTF-8 YAML)") from None


def describe_error(exc: ValidationError, model: type[BaseModel]) -> str:
    """The first validation error as 'field: problem; allowed: ...'."""
    err = exc.errors(include_url=False)[0]
    loc = ".".join(str(part) for part in err["loc"])
    kind = err["type"]
    message = str(err["msg"]).removeprefix("Value error, ")
    if kind == "extra_forbidden":
        allowed = _allowed_fields(model, err["loc"][:-1])
        return f"{loc}: unknown field; allowed: {', '.join(allowed)}"
    if kind == "missing":
        return f"{loc}: required field is missing"
    if kind in {"finite_number"} or (isinstance(err.get("input"), float) and math.isnan(err["input"])):
        return f"{loc}: must be a finite number, got {err['input']!r}"
    if not loc:
        return message
    got = err.get("input")
    shown = f" (got {got!r})" if got is not None and not isinstance(got, dict | list) else ""
    return f"{loc}: {message}{shown}"


def _allowed_fields(model: type[BaseModel], loc: tuple) -> list[str]:
    """Field names allowed at a location, walking nested pydantic models."""
    current: Any = model
    for part in loc:
        if isinstance(part, int) or current is None:
            continue
        field = current.model_fields.get(str(part))
        if field is None:
            continue  # a key of a dict of models (a style name): the model stays the same
        current = model_of(field.annotation)
    return sorted(current.model_fields) if current is not None else []


def model_of(annotation: Any) -> type[BaseModel] | None:
    """The pydantic model inside a field's type (``X``, ``X | None``, ``dict[str, X]``), if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = model_of(arg)
        if found is not None:
            return found
    return None


def _kind(value: Any) -> str:
    return type(value).__name__


def scenario_hash(scenario: Scenario) -> str:
    """A short, stable fingerprint of everything that changes results (not seed, story, questions)."""
    data = scenario.model_dump(mode="json", exclude={"seed", "story", "questions"})
    text = json.dumps(data, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]
