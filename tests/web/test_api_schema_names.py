"""Each schema of the API is published under its own component name: two classes with one name
made the published `POST /invoices` body the expense line's (`LineIn`). The test compares the
schema classes the operations use with the components of /api/v1/openapi.json."""

from __future__ import annotations

import typing
from collections import defaultdict
from typing import Any

import pytest
from django.test import Client
from pydantic import BaseModel

from mutua.api.api import api


def _models_in(annotation: Any, found: set[type[BaseModel]]) -> None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation not in found:
            found.add(annotation)
            for field in annotation.model_fields.values():
                _models_in(field.annotation, found)
        return
    for argument in typing.get_args(annotation):
        _models_in(argument, found)


def _wrapper(model: type[BaseModel]) -> bool:
    """django-ninja's own containers (path/query/body parameters, responses): not published."""
    return model.__module__.startswith("ninja.") or model.__name__ in (
        "NinjaResponseSchema",
        "PathParams",
        "QueryParams",
        "BodyParams",
        "FileParams",
        "FormParams",
        "HeaderParams",
        "CookieParams",
    )


def registered_schemas() -> set[type[BaseModel]]:
    found: set[type[BaseModel]] = set()
    for _prefix, router in api._routers:
        for path_operation in router.path_operations.values():
            for operation in path_operation.operations:
                models = list(operation.models) + [
                    m for m in operation.response_models.values() if isinstance(m, type)
                ]
                for model in models:
                    _models_in(model, found)
    return {model for model in found if not _wrapper(model)}


def test_no_two_schemas_share_a_component_name() -> None:
    by_name: dict[str, set[str]] = defaultdict(set)
    for model in registered_schemas():
        by_name[model.__name__].add(f"{model.__module__}.{model.__qualname__}")
    shared = {name: sorted(owners) for name, owners in by_name.items() if len(owners) > 1}
    assert not shared, f"schemas sharing a component name: {shared}"


@pytest.mark.django_db
def test_each_published_component_is_the_schema_of_its_name() -> None:
    components = Client().get("/api/v1/openapi.json").json()["components"]["schemas"]
    schemas = registered_schemas()
    assert len(schemas) > 30, "the walk lost the API's schemas"
    for model in schemas:
        name = model.__name__
        assert name in components, f"{name} is used by an operation but not published"
        published = set(components[name].get("properties", {}))
        fields = {field.alias or field_name for field_name, field in model.model_fields.items()}
        assert published == fields, f"{name} is published with another schema's fields"
