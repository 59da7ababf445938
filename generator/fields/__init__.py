"""Field types of worksheet definitions, as one registry (see registry.py).

Importing this package registers the built-in types, in the order error messages and
documentation list them.
"""

from .boolean import CheckboxType, MultiChoiceType, YesNoType
from .choice import ChoiceType
from .date import DateType
from .elements import HeadingType, InstructionsType
from .matrix import MatrixType
from .nested import CardsType, GroupType, TableType
from .number import NumberType, RatingType, read_key
from .registry import (
    COMMON_KEYS,
    ROLES,
    FieldType,
    Key,
    ScalarType,
    all_keys,
    get,
    is_empty,
    kind_of,
    names,
    reference,
    register,
    unregister,
)
from .signature import SignatureType
from .text import ListType, LongtextType, TextType

for _type in (TextType, LongtextType, DateType, ChoiceType, RatingType, NumberType, ListType,
              TableType, CardsType, GroupType, CheckboxType, YesNoType, MultiChoiceType):
    register(_type)
for _type in (HeadingType, InstructionsType, SignatureType, MatrixType):
    register(_type)
del _type

# What this package offers: the registry's API and the built-in types
__all__ = [
    "COMMON_KEYS", "ROLES", "FieldType", "Key", "ScalarType", "all_keys", "get", "is_empty", "kind_of", "names",
    "reference", "register", "unregister", "read_key",
    "TextType", "LongtextType", "DateType", "ChoiceType", "RatingType", "NumberType", "ListType", "TableType",
    "CardsType", "GroupType", "CheckboxType", "YesNoType", "MultiChoiceType", "HeadingType", "InstructionsType",
    "SignatureType", "MatrixType",
]
