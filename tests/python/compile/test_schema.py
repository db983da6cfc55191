"""compile/schema.py against the schema module generated from TensorFlow's schema.fbs (shipped in the
tflite-micro wheel): operator and tensor-type codes, option union codes, enums, and the field number of
every table field the reader and the emitters read."""

from __future__ import annotations

import inspect
import re

import pytest
from tflite_micro.tensorflow.lite.micro.python import schema_py_generated as generated

from tinyaudio.compile import schema


def _constants(cls: type) -> dict[str, int]:
    return {k: v for k, v in vars(cls).items() if not k.startswith("_") and isinstance(v, int)}


def test_operator_and_tensor_type_codes() -> None:
    ops = {v: k for k, v in _constants(generated.BuiltinOperator).items()}
    for code, name in enumerate(schema.BUILTIN_OPERATOR_NAMES):
        assert ops.get(code) == name, code
    types = {v: k for k, v in _constants(generated.TensorType).items()}
    for code, info in enumerate(schema.TENSOR_TYPES):
        assert types[code] == info.name, code


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        (schema.BuiltinOptionsType, generated.BuiltinOptions),
        (schema.Padding, generated.Padding),
        (schema.ActivationFunctionType, generated.ActivationFunctionType),
        (schema.FullyConnectedOptionsWeightsFormat, generated.FullyConnectedOptionsWeightsFormat),
    ],
)
def test_enum_codes(ours: type, theirs: type) -> None:
    assert _constants(ours), ours
    for name, code in _constants(ours).items():
        assert getattr(theirs, name) == code, f"{ours.__name__}.{name}"


def test_activation_names_follow_the_enum() -> None:
    codes = _constants(schema.ActivationFunctionType)
    assert {name: schema.ACTIVATION_NAMES.index(name) for name in schema.ACTIVATION_NAMES} == codes


# Our field-number class -> generated table class, where the names differ.
TABLE_NAMES = {"Quantization": "QuantizationParameters"}
FIELD_CLASSES = sorted(
    (name, cls)
    for name, cls in vars(schema).items()
    if inspect.isclass(cls) and name.endswith("Field") and cls.__module__ == schema.__name__
)


def _vtable_slot(table: type, field: str) -> int:
    """Field number of `field` in a generated table class: its accessor reads vtable offset 4 + 2 * number."""
    accessor = "".join(part.capitalize() for part in field.split("_"))
    source = inspect.getsource(getattr(table, accessor))
    match = re.search(r"self\._tab\.Offset\((\d+)\)", source)
    assert match, f"{table.__name__}.{accessor}"
    return (int(match.group(1)) - 4) // 2


@pytest.mark.parametrize(("name", "cls"), FIELD_CLASSES, ids=[n for n, _ in FIELD_CLASSES])
def test_field_numbers(name: str, cls: type) -> None:
    table_name = name[: -len("Field")]
    table = getattr(generated, TABLE_NAMES.get(table_name, table_name))
    for field, number in _constants(cls).items():
        assert _vtable_slot(table, field) == number, f"{name}.{field}"


def test_every_options_table_an_emitter_reads_has_its_fields_here() -> None:
    """Each *OptionsField class names a union member of BuiltinOptionsType."""
    union = _constants(schema.BuiltinOptionsType)
    for name, _ in FIELD_CLASSES:
        table = name[: -len("Field")]
        if table.endswith("Options"):
            assert table in union, table
