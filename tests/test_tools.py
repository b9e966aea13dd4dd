"""@tool: schemas derived from type hints and docstrings, arguments validated before the call."""

from typing import Literal

import pytest

from synth.env import EnvTemplate, ToolArgumentError, ToolDefinitionError, tool
from synth.env.tool import build_tool_spec
from synth.pipeline.check import schema_problems


def search(
    self,
    city: str,
    nights: int = 1,
    budget: float | None = None,
    mode: Literal["cheap", "best"] = "cheap",
    tags: list[str] | None = None,
) -> list:
    """Find hotels in a city.

    Args:
        city: Where to look.
        nights: How many nights,
            at least one.
        budget: Highest total price.
    """
    return []


def test_schema_from_hints_and_docstring():
    spec = build_tool_spec(search, "read", "search")
    fn = spec.schema["function"]
    assert spec.schema["type"] == "function" and fn["name"] == "search"
    assert fn["description"] == "Find hotels in a city."
    props = fn["parameters"]["properties"]
    assert props["city"] == {"type": "string", "description": "Where to look."}
    assert props["nights"]["type"] == "integer" and props["nights"]["default"] == 1
    assert props["nights"]["description"] == "How many nights, at least one."
    assert props["mode"]["enum"] == ["cheap", "best"]
    assert {"type": "array", "items": {"type": "string"}} in props["tags"]["anyOf"]
    assert fn["parameters"]["required"] == ["city"]
    assert fn["parameters"]["additionalProperties"] is False
    assert schema_problems(spec.schema) == []


def test_arguments_are_validated_and_coerced_only_safely():
    spec = build_tool_spec(search, "read", "search")
    assert spec.validate({"city": "Oslo", "nights": "3"})["nights"] == 3
    for bad, fragment in [
        ({"nights": 2}, "city"),
        ({"city": "Oslo", "nights": "many"}, "nights"),
        ({"city": "Oslo", "mode": "luxury"}, "mode"),
        ({"city": "Oslo", "stars": 5}, "stars"),
    ]:
        with pytest.raises(ToolArgumentError, match=fragment):
            spec.validate(bad)
    with pytest.raises(ToolArgumentError, match="JSON object"):
        spec.validate(["Oslo"])


class Opaque:
    pass


@pytest.mark.parametrize(
    "source, fragment",
    [
        ("def f(self, x):\n    '''Doc.'''\n", "needs a type hint"),
        ("def f(self, x: Opaque):\n    '''Doc.'''\n", "no JSON schema"),
        ("def f(self, *xs: int):\n    '''Doc.'''\n", "plain named parameter"),
        ("def f(self, x: int):\n    pass\n", "add a docstring"),
    ],
)
def test_unschematizable_signatures_are_rejected_clearly(source, fragment):
    namespace = {"Opaque": Opaque}
    exec(source, namespace)
    with pytest.raises(ToolDefinitionError, match=fragment):
        build_tool_spec(namespace["f"], "read", "f")


def test_template_class_with_bad_tool_fails_at_definition():
    with pytest.raises(ToolDefinitionError, match="'when'"):

        class Broken(EnvTemplate):
            name, version, category, description = "broken", "1", "c", "d"

            @tool("write")
            def schedule(self, when):
                """Schedule something."""


def test_tool_kind_must_be_read_or_write():
    with pytest.raises(ToolDefinitionError):
        tool("delete")


def test_a_parameter_named_title_survives():
    def create(self, title: str, notes: str = "") -> dict:
        """Create a thing.

        Args:
            title: Its title.
        """

    schema = build_tool_spec(create, "write", "create").schema
    assert schema["function"]["parameters"]["properties"]["title"] == {"type": "string", "description": "Its title."}
    assert schema_problems(schema) == []
