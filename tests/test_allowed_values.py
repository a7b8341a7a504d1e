"""`allowed_values` follows an error's path through a schema type to the choices there."""

import enum
from typing import Annotated, Literal

import msgspec
from claimledger_server.allowed_values import allowed_values, with_hint


class Colour(enum.Enum):
    RED = "red"
    BLUE = "blue"


class Item(msgspec.Struct):
    kind: Literal["a", "b"] | None = None
    colour: Colour = Colour.RED
    name: str = ""


class Order(msgspec.Struct, rename="camel"):
    items: Annotated[list[Item], msgspec.Meta(max_length=3)] = []
    by_key: dict[str, Literal["x", "y"]] = {}
    shipping_mode: Literal["post", "courier"] = "post"


def test_paths_through_lists_dicts_renames_and_optionals() -> None:
    assert allowed_values(Order, "items[2].kind") == ("a", "b")
    assert allowed_values(Order, "items[0].colour") == ("red", "blue")
    assert allowed_values(Order, "byKey.anything") == ("x", "y")
    assert allowed_values(Order, "shippingMode") == ("courier", "post")
    assert allowed_values(Literal["one", "two"] | None, "") == ("one", "two")


def test_no_choices_where_the_path_ends_elsewhere() -> None:
    assert allowed_values(Order, "items[0].name") is None
    assert allowed_values(Order, "items") is None
    assert allowed_values(Order, "shipping_mode") is None  # the Python name is not the wire's
    assert allowed_values(Order, "nothing.here") is None
    assert allowed_values(int, "") is None


def test_only_enum_messages_are_extended() -> None:
    extended = with_hint("Invalid enum value 'c'", Order, "items[0].kind")
    assert extended == "Invalid enum value 'c'; expected one of: 'a', 'b'"
    assert with_hint("Expected `str`, got `int`", Order, "items[0].kind") == (
        "Expected `str`, got `int`"
    )


def test_an_unknown_field_is_matched_to_the_closest_one_at_its_depth() -> None:
    message = "Object contains unknown field `shipingMode`"
    assert with_hint(message, Order, "shipingMode") == f"{message}; did you mean 'shippingMode'?"
    message = "Object contains unknown field `knd`"
    assert with_hint(message, Order, "items[1].knd") == f"{message}; did you mean 'kind'?"
    message = "Object contains unknown field `zzzz`"
    assert with_hint(message, Order, "items[1].zzzz") == message
