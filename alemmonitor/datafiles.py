"""Data files in resources/ (and a site's own): parsed, validated, and every problem located.

Each kind of file has a pydantic model; this module turns its text into that model or into a
`DataFileError` listing every problem as 'file:line: field: message', so whoever edits the file
knows where to look. YAML's node tree keeps the line of every key; JSON is YAML, so JSON files are
located the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from alemmonitor.errors import DataFileError

Model = TypeVar("Model", bound=BaseModel)
Found = Sequence[tuple[tuple[object, ...], str]]
"""Problems as (location as a path of keys and indexes, message)."""

__all__ = ["DataFileError", "located", "parse_yaml_model", "read_text", "validate_model"]


def read_text(path: Path, error: type[DataFileError]) -> str:
    """The file's text; `error` naming the file if it cannot be read."""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise error(str(path), [f"{path}: cannot be read: {exc}"]) from exc


def parse_yaml_model(
    text: str,
    name: str,
    model: type[Model],
    error: type[DataFileError],
    *,
    check: Callable[[Model], Iterable[tuple[tuple[object, ...], str]]] | None = None,
) -> Model:
    """Validate YAML text against `model` (then `check`, for problems across fields)."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f"{mark.line + 1}" if mark is not None else "?"
        problem = getattr(exc, "problem", None) or str(exc)
        raise error(name, [f"{name}:{line}: not valid YAML: {problem}"]) from exc
    if root is None or not isinstance(data, dict):
        raise error(name, [f"{name}:1: the file must hold a mapping of {error.subject} fields"])
    duplicates = list(duplicate_keys(root, ()))
    if duplicates:
        raise error(
            name, [f"{name}:{line}: {dotted(loc)}: given twice" for loc, line in duplicates]
        )
    return validate_model(data, root, name, model, error, check=check)


def validate_model(
    data: Any,
    root: yaml.Node | None,
    name: str,
    model: type[Model],
    error: type[DataFileError],
    *,
    check: Callable[[Model], Iterable[tuple[tuple[object, ...], str]]] | None = None,
) -> Model:
    """Validate parsed data against `model`, locating problems in the node tree `root`."""
    try:
        parsed = model.model_validate(data)
    except ValidationError as exc:
        found = [(tuple(problem["loc"]), str(problem["msg"])) for problem in exc.errors()]
        raise error(name, located(name, root, found)) from exc
    inconsistent = list(check(parsed)) if check is not None else []
    if inconsistent:
        raise error(name, located(name, root, inconsistent))
    return parsed


def located(name: str, root: yaml.Node | None, found: Found) -> list[str]:
    """Problems as 'file:line: field: message'."""
    problems = []
    for loc, message in found:
        # Pydantic names a wrong mapping key as the key's path plus "[key]".
        of_key = bool(loc) and loc[-1] == "[key]"
        path = loc[:-1] if of_key else loc
        line = line_of(root, path, of_key=of_key) if root is not None else "?"
        problems.append(f"{name}:{line}: {dotted(path) or '(top level)'}: {message}")
    return problems


def dotted(loc: Sequence[object]) -> str:
    """A location as a dotted path: 'premedication.0.route'."""
    return ".".join(str(part) for part in loc)


def line_of(node: yaml.Node, loc: Sequence[object], *, of_key: bool = False) -> int:
    """The 1-based line of the deepest node of `loc` present in the tree (or of its key)."""
    line = int(node.start_mark.line)
    for part in loc:
        child: yaml.Node | None = None
        key_node: yaml.Node | None = None
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if key.value == part:
                    key_node, child = key, value
                    break
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part >= 0:
            child = node.value[part] if part < len(node.value) else None
        if child is None:
            break
        node = child
        line = int((key_node if of_key and key_node is not None else node).start_mark.line)
    return line + 1


def duplicate_keys(
    node: yaml.Node, loc: tuple[object, ...]
) -> Iterator[tuple[tuple[object, ...], int]]:
    """Keys given twice in a mapping (YAML loaders silently keep the last)."""
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            if key.value in seen:
                yield (*loc, key.value), int(key.start_mark.line) + 1
            seen.add(key.value)
            yield from duplicate_keys(value, (*loc, key.value))
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            yield from duplicate_keys(item, (*loc, index))


def compose_quietly(text: str) -> yaml.Node | None:
    """The node tree of a text for locating problems, or None if it cannot be had."""
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None
