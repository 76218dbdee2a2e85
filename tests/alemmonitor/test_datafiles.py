"""Reading a data file into its dataclasses: values written as people write them are read, what
is not meant is refused with the field and line, and every problem of a file is listed."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Annotated, Literal

import pytest

from alemmonitor.datafiles import (
    Ge,
    Gt,
    Le,
    MinLength,
    NotBlank,
    Pattern,
    file_key,
    parse_yaml_model,
    read_model,
)
from alemmonitor.errors import DataFileError


class Colour(StrEnum):
    RED = "red"
    BLUE = "blue"


@dataclass(frozen=True, kw_only=True)
class Band:
    low: float | None = None
    high: float | None = None

    def __post_init__(self) -> None:
        if self.low is not None and self.high is not None and self.low > self.high:
            raise ValueError(f"low {self.low:g} is above high {self.high:g}")


@dataclass(frozen=True, kw_only=True)
class Sheet:
    schema_version: Literal[1] = file_key("schema")
    id: Annotated[str, Pattern(r"^[a-z][a-z0-9-]*$")]
    title: Annotated[str, NotBlank()] = "untitled"
    minutes: Annotated[int, Gt(0), Le(60)] = 15
    dose: Annotated[float, Ge(0)] = 1.0
    shaded: bool = False
    unit: Literal["mg", "g"] = "mg"
    days: Annotated[list[int], MinLength(1)] = field(default_factory=lambda: [1])
    bands: dict[Colour, Band] = field(default_factory=dict)


class SheetError(DataFileError):
    what = "sheet"
    subject = "sheet"


def read(**values: object) -> Sheet | list[tuple[tuple[object, ...], str]]:
    """The sheet read from these values (with the required ones), or its problems."""
    sheet, problems = read_model({"schema": 1, "id": "a", **values}, Sheet)
    return sheet if sheet is not None else list(problems)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"minutes": "20"}, 20),
        ({"minutes": " 20 "}, 20),
        ({"minutes": 20.0}, 20),
        ({"minutes": "20.0"}, 20),
        ({"dose": "2.5"}, 2.5),
        ({"dose": 3}, 3.0),
        ({"shaded": "yes"}, True),
        ({"shaded": 0}, False),
        ({"days": (1, 2)}, [1, 2]),
        ({"bands": {"red": {"low": 1}}}, {Colour.RED: Band(low=1.0)}),
    ],
)
def test_values_are_read_as_people_write_them(values: dict[str, object], expected: object) -> None:
    sheet = read(**values)
    assert isinstance(sheet, Sheet)
    (name,) = values
    assert getattr(sheet, name) == expected
    assert type(getattr(sheet, name)) is type(expected)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"minutes": 20.5}, "Input should be a valid integer, got a number with a fractional part"),
        ({"minutes": "twenty"}, "unable to parse string as an integer"),
        ({"minutes": "٢٠"}, "unable to parse string as an integer"),  # Arabic-Indic digits
        ({"minutes": 0}, "Input should be greater than 0"),
        ({"minutes": 61}, "Input should be less than or equal to 60"),
        ({"dose": -1}, "Input should be greater than or equal to 0"),
        ({"dose": None}, "Input should be a valid number"),
        ({"shaded": "maybe"}, "Input should be a valid boolean, unable to interpret input"),
        ({"unit": "kg"}, "Input should be 'mg' or 'g'"),
        ({"title": "   "}, "Value error, must not be empty"),
        ({"title": 12}, "Input should be a valid string"),
        ({"id": "a\n"}, "String should match pattern"),  # a line break is no part of an id
        ({"id": "A"}, "String should match pattern '^[a-z][a-z0-9-]*$'"),
        ({"days": []}, "List should have at least 1 item after validation, not 0"),
        ({"days": "1, 2"}, "Input should be a valid list"),
    ],
)
def test_what_is_not_meant_is_refused_with_its_field(
    values: dict[str, object], expected: str
) -> None:
    problems = read(**values)
    assert isinstance(problems, list)
    [(loc, message)] = problems
    assert loc == tuple(values)
    assert expected in message


def test_keys_unknown_missing_or_wrong_and_fields_that_disagree_are_each_named() -> None:
    problems = read_model(
        {"id": "a", "colour": "red", "bands": {"green": {}, "red": {"low": 5, "high": 1}}}, Sheet
    )
    assert problems == (
        None,
        [
            (("schema",), "Field required"),
            (("bands", "green", "[key]"), "Input should be 'red' or 'blue'"),
            (("bands", "red"), "Value error, low 5 is above high 1"),
            (("colour",), "Extra inputs are not permitted"),
        ],
    )


def test_every_problem_of_a_file_is_listed_with_its_line() -> None:
    text = "schema: 1\nid: a\nminutes: 90\nbands:\n  blue:\n    low: x\nextra: 1\n"
    with pytest.raises(SheetError) as refused:
        parse_yaml_model(text, "sheet.yaml", Sheet, SheetError)
    assert refused.value.problems == [
        "sheet.yaml:3: minutes: Input should be less than or equal to 60",
        (
            "sheet.yaml:6: bands.blue.low: Input should be a valid number, "
            "unable to parse string as a number"
        ),
        "sheet.yaml:7: extra: Extra inputs are not permitted",
    ]
