"""Data files in resources/ (and a site's own): parsed, checked, and every problem located.

Each kind of file is described by frozen dataclasses. A field's type says what its value may be
(`int`, `float`, `str`, `bool`, a `Literal`, an enum, a list, a mapping, another such dataclass,
or None where the type allows it), `Annotated` with the limits below; a `__post_init__` that
raises ValueError says what fields must agree on; a field is read from the key of its name, or
from the one `file_key` names. `validate_model` turns parsed data into those dataclasses or into
a `DataFileError` listing every problem as 'file:line: field: message', so whoever edits the file
knows where to look. YAML's node tree keeps the line of every key; JSON is YAML, so JSON files
are located the same way.

Values are read leniently as people write them: "20" or 20.0 is the integer 20, 1 a number, yes
a boolean; anything that is not meant (a key the file does not know, 20.5 for an integer, "twenty")
is refused. The messages word problems as pydantic's do, which checked these files first and
whose wording their writers know.
"""

from __future__ import annotations

import dataclasses
import math
import re
import types
import typing
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from enum import Enum
from functools import cache
from pathlib import Path
from typing import (
    TYPE_CHECKING,
    Annotated,
    Any,
    Literal,
    NamedTuple,
    TypeVar,
    Union,
    cast,
    get_args,
    get_origin,
)

import yaml

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

from alemmonitor.errors import DataFileError

Model = TypeVar("Model")
Found = Sequence[tuple[tuple[object, ...], str]]
"""Problems as (location as a path of keys and indexes, message)."""

__all__ = [
    "DataFileError",
    "Ge",
    "Gt",
    "Le",
    "MinLength",
    "NotBlank",
    "Pattern",
    "file_key",
    "located",
    "parse_yaml_model",
    "read_model",
    "read_text",
    "validate_model",
]

# The C parser when PyYAML was built with libyaml (its wheels are): ten times faster.
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_KEY = "key in the file"


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
    """Check YAML text against `model` (then `check`, for problems across fields)."""
    loader = _LOADER(text)
    try:
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f"{mark.line + 1}" if mark is not None else "?"
        problem = getattr(exc, "problem", None) or str(exc)
        raise error(name, [f"{name}:{line}: not valid YAML: {problem}"]) from exc
    finally:
        loader.dispose()
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
    """Read parsed data as `model`, locating problems in the node tree `root`."""
    parsed, found = read_model(data, model)
    if parsed is not None and check is not None:
        found = list(check(parsed))
    if parsed is None or found:
        raise error(name, located(name, root, found))
    return parsed


def read_model(data: Any, model: type[Model]) -> tuple[Model | None, Found]:
    """Parsed data read as `model`; None and every problem found when it cannot be."""
    reader = _Reader()
    parsed = reader.record(model, data, ())
    if isinstance(parsed, _Refused):
        return None, reader.problems
    return parsed, []


# -- what a field may hold -----------------------------------------------------------------------

# The limits are named tuples, not dataclasses: they are made at start-up, and a tuple type is
# made ten times faster.


def file_key(name: str) -> Any:
    """A field read from the key `name` (a field cannot be called `schema`, say, in Python)."""
    return dataclasses.field(metadata={_KEY: name})


class Gt(NamedTuple):
    """Only values greater than `limit`."""

    limit: float

    def refuses(self, value: Any) -> str | None:
        """Why `value` is refused, or None."""
        return None if value > self.limit else f"Input should be greater than {self.limit}"


class Ge(NamedTuple):
    """Only values greater than or equal to `limit`."""

    limit: float

    def refuses(self, value: Any) -> str | None:
        """Why `value` is refused, or None."""
        if value >= self.limit:
            return None
        return f"Input should be greater than or equal to {self.limit}"


class Le(NamedTuple):
    """Only values less than or equal to `limit`."""

    limit: float

    def refuses(self, value: Any) -> str | None:
        """Why `value` is refused, or None."""
        return (
            None if value <= self.limit else f"Input should be less than or equal to {self.limit}"
        )


class MinLength(NamedTuple):
    """Text of at least `length` characters; a list or mapping of at least `length` items."""

    length: int

    def refuses(self, value: Any) -> str | None:
        """Why `value` is refused, or None."""
        if len(value) >= self.length:
            return None
        if isinstance(value, str):
            unit = "character" if self.length == 1 else "characters"
            return f"String should have at least {self.length} {unit}"
        unit = "item" if self.length == 1 else "items"
        kind = "Dictionary" if isinstance(value, Mapping) else "List"
        after = f"after validation, not {len(value)}"
        return f"{kind} should have at least {self.length} {unit} {after}"


class Pattern(NamedTuple):
    """Text matching the regular expression `regex` (searched, so anchor it: a final `$` is the
    end of the text, where Python's would let a line break follow)."""

    regex: str

    def refuses(self, value: Any) -> str | None:
        """Why `value` is refused, or None."""
        regex = self.regex
        if regex.endswith("$") and not regex.endswith("\\$"):
            regex = regex[:-1] + "\\Z"
        if re.search(regex, value):
            return None
        return f"String should match pattern '{self.regex}'"


class NotBlank(NamedTuple):
    """Text with more than spaces in it."""

    def refuses(self, value: Any) -> str | None:
        """Why `value` is refused, or None."""
        return None if value.strip() else "Value error, must not be empty"


# -- reading -------------------------------------------------------------------------------------


class _Refused:
    """What a value that could not be read becomes; its problems are listed."""


_REFUSED = _Refused()
_TRUE = frozenset({"1", "on", "t", "true", "y", "yes"})
_FALSE = frozenset({"0", "off", "f", "false", "n", "no"})
# Unicode's White_Space: Python's strip() also takes the separators \x1c-\x1f for spaces.
_SPACES = (
    "\t\n\x0b\x0c\r \x85\xa0\u1680"
    + "".join(map(chr, range(0x2000, 0x200B)))
    + ("\u2028\u2029\u202f\u205f\u3000")
)
_WHOLE = re.compile(r"([+-]?[0-9][0-9_]*)\.0+")


class _Reader:
    """Reads values as their types say, listing every problem with where it is."""

    def __init__(self) -> None:
        self.problems: list[tuple[tuple[object, ...], str]] = []

    def refuse(self, loc: tuple[object, ...], message: str) -> _Refused:
        self.problems.append((loc, message))
        return _REFUSED

    def value(self, hint: Any, data: object, loc: tuple[object, ...]) -> Any:
        """`data` read as `hint` says; a problem is listed and _REFUSED returned if it cannot."""
        origin = get_origin(hint)
        if origin is not None:
            return _COMPOSITES[origin](self, hint, data, loc)
        if isinstance(hint, type) and dataclasses.is_dataclass(hint):
            return self.record(hint, data, loc)
        if isinstance(hint, type) and issubclass(hint, Enum):
            return self.choice(tuple(hint), data, loc, convert=hint)
        value, problem = _SCALARS[hint](data)
        return self.refuse(loc, problem) if problem is not None else value

    def limited(self, hint: Any, data: object, loc: tuple[object, ...]) -> Any:
        """`Annotated[kind, limit, ...]`: read as `kind`, then held to each limit."""
        kind, *limits = get_args(hint)
        value = self.value(kind, data, loc)
        if isinstance(value, _Refused):
            return value
        for limit in limits:
            message = limit.refuses(value)
            if message is not None:
                return self.refuse(loc, message)
        return value

    def literal(self, hint: Any, data: object, loc: tuple[object, ...]) -> Any:
        return self.choice(get_args(hint), data, loc)

    def optional(self, hint: Any, data: object, loc: tuple[object, ...]) -> Any:
        """`kind | None`."""
        kinds = [kind for kind in get_args(hint) if kind is not type(None)]
        if len(kinds) != 1:
            raise TypeError(f"only X | None is read, not {hint}")
        return None if data is None else self.value(kinds[0], data, loc)

    def choice(
        self,
        choices: tuple[Any, ...],
        data: object,
        loc: tuple[object, ...],
        convert: Callable[[Any], Any] | None = None,
    ) -> Any:
        for choice in choices:
            if _same(data, choice.value if isinstance(choice, Enum) else choice):
                return convert(data) if convert is not None else choice
        written = [repr(c.value if isinstance(c, Enum) else c) for c in choices]
        listed = written[0] if len(written) == 1 else f"{', '.join(written[:-1])} or {written[-1]}"
        return self.refuse(loc, f"Input should be {listed}")

    def items(self, hint: Any, data: object, loc: tuple[object, ...]) -> Any:
        if not isinstance(data, list | tuple | set | frozenset):
            return self.refuse(loc, "Input should be a valid list")
        (kind,) = get_args(hint)
        values = [self.value(kind, item, (*loc, index)) for index, item in enumerate(data)]
        return _REFUSED if any(isinstance(v, _Refused) for v in values) else values

    def mapping(self, hint: Any, data: object, loc: tuple[object, ...]) -> Any:
        if not isinstance(data, Mapping):
            return self.refuse(loc, "Input should be a valid dictionary")
        key_hint, value_hint = get_args(hint)
        values = {}
        refused = False
        for name, item in data.items():
            read_key = self.value(key_hint, name, (*loc, name, "[key]"))
            value = self.value(value_hint, item, (*loc, name))
            if isinstance(read_key, _Refused) or isinstance(value, _Refused):
                refused = True
            else:
                values[read_key] = value
        return _REFUSED if refused else values

    def record(self, model: type[Model], data: object, loc: tuple[object, ...]) -> Model | _Refused:
        if not isinstance(data, Mapping):
            return self.refuse(
                loc, f"Input should be a valid dictionary or instance of {model.__name__}"
            )
        values = {}
        known = set()
        refused = False
        hints = _hints(cast("type", model))
        for field in dataclasses.fields(cast("type[DataclassInstance]", model)):
            name = field.metadata.get(_KEY, field.name)
            known.add(name)
            if name not in data:
                if field.default is dataclasses.MISSING is field.default_factory:
                    self.refuse((*loc, name), "Field required")
                    refused = True
                continue
            value = self.value(hints[field.name], data[name], (*loc, name))
            if isinstance(value, _Refused):
                refused = True
            else:
                values[field.name] = value
        for name in data:
            if name not in known:
                self.refuse((*loc, name), "Extra inputs are not permitted")
                refused = True
        if refused:
            return _REFUSED
        try:
            return model(**values)
        except ValueError as exc:  # what the fields must agree on (`__post_init__`)
            return self.refuse(loc, f"Value error, {exc}")


_COMPOSITES: dict[Any, Callable[[_Reader, Any, object, tuple[object, ...]], Any]] = {
    Annotated: _Reader.limited,
    Literal: _Reader.literal,
    Union: _Reader.optional,
    types.UnionType: _Reader.optional,
    list: _Reader.items,
    dict: _Reader.mapping,
}


@cache
def _hints(model: type) -> dict[str, Any]:
    return typing.get_type_hints(model, include_extras=True)


def _same(data: object, choice: object) -> bool:
    """Whether `data` is `choice` as written in a file: 1 is 1.0, "1" is not 1."""
    if isinstance(choice, str) or isinstance(data, str):
        return isinstance(data, str) and isinstance(choice, str) and data == choice
    try:
        return bool(data == choice)
    except TypeError:
        return False


def _integer(data: object) -> tuple[int | None, str | None]:
    data = _decoded(data)
    if isinstance(data, str):
        text = data.strip(_SPACES)
        whole = _WHOLE.fullmatch(text)  # "5.0" is a whole number written as a decimal
        try:
            return int(_ascii(whole[1] if whole else text)), None
        except ValueError:
            return None, "Input should be a valid integer, unable to parse string as an integer"
    if isinstance(data, float) and (problem := _not_whole(data)) is not None:
        return None, problem
    if isinstance(data, int | float):
        return int(data), None
    return None, "Input should be a valid integer"


def _not_whole(number: float) -> str | None:
    """Why `number` cannot be read as an integer, or None."""
    if not math.isfinite(number):
        return "Input should be a finite number"
    if not number.is_integer():
        return "Input should be a valid integer, got a number with a fractional part"
    if abs(number) >= 2**63:
        return "Unable to parse input string as an integer, exceeded maximum size"
    return None


def _number(data: object) -> tuple[float | None, str | None]:
    data = _decoded(data)
    if isinstance(data, int | float):
        try:
            return float(data), None
        except OverflowError:
            return None, "Input should be a valid number"
    if isinstance(data, str):
        try:
            return float(_ascii(data.strip(_SPACES))), None
        except ValueError:
            return None, "Input should be a valid number, unable to parse string as a number"
    return None, "Input should be a valid number"


def _text(data: object) -> tuple[str | None, str | None]:
    if isinstance(data, str):
        return data, None
    if isinstance(data, bytes | bytearray):
        try:
            return bytes(data).decode("utf-8"), None
        except UnicodeDecodeError:
            return (
                None,
                "Input should be a valid string, unable to parse raw data as a unicode string",
            )
    return None, "Input should be a valid string"


def _boolean(data: object) -> tuple[bool | None, str | None]:
    data = _decoded(data)
    if isinstance(data, bool):
        return data, None
    if isinstance(data, int | float) and data in (0, 1):
        return bool(data), None
    if isinstance(data, str) and data.lower() in _TRUE | _FALSE:
        return data.lower() in _TRUE, None
    # A word or a (64-bit) whole number can be read, and means neither: 2, "maybe".
    whole = isinstance(data, int | float) and math.isfinite(data) and float(data).is_integer()
    if isinstance(data, str) or (whole and -(2**63) <= data < 2**63):  # type: ignore[operator]
        return None, "Input should be a valid boolean, unable to interpret input"
    return None, "Input should be a valid boolean"


def _ascii(text: str) -> str:
    """`text` if it is written in ASCII; int() and float() would read other scripts' digits."""
    if not text.isascii():
        raise ValueError(text)
    return text


def _decoded(data: object) -> object:
    """Bytes (YAML's !!binary) read as the text they hold, where they hold text."""
    if isinstance(data, bytes | bytearray):
        return bytes(data).decode("utf-8", errors="replace")
    return data


_SCALARS: dict[Any, Callable[[object], tuple[Any, str | None]]] = {
    int: _integer,
    float: _number,
    str: _text,
    bool: _boolean,
}


# -- where problems are --------------------------------------------------------------------------


def located(name: str, root: yaml.Node | None, found: Found) -> list[str]:
    """Problems as 'file:line: field: message'."""
    problems = []
    for loc, message in found:
        # A wrong mapping key is named by the key's path plus "[key]".
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
            for key_of, value in node.value:
                if key_of.value == part:
                    key_node, child = key_of, value
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
        for key_of, value in node.value:
            if key_of.value in seen:
                yield (*loc, key_of.value), int(key_of.start_mark.line) + 1
            seen.add(key_of.value)
            yield from duplicate_keys(value, (*loc, key_of.value))
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            yield from duplicate_keys(item, (*loc, index))


def compose_quietly(text: str) -> yaml.Node | None:
    """The node tree of a text for locating problems, or None if it cannot be had."""
    try:
        return yaml.compose(text, Loader=_LOADER)
    except yaml.YAMLError:
        return None
