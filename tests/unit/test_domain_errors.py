"""Domain refusals carry no HTTP status; one table in ``app.api.problems`` gives it."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import app
from app.api.problems import TITLES, status_of
from app.errors import (
    Conflict,
    DomainError,
    FileLimitExceeded,
    FileTooLarge,
    IllegalTransition,
    InvalidInput,
    NotFound,
    OverlappingProvision,
    PreconditionFailed,
    UnreadableFile,
)


def every_domain_error() -> set[type[DomainError]]:
    for module in pkgutil.walk_packages(app.__path__, "app."):
        if ".migrations" not in module.name and not module.name.endswith("__main__"):
            importlib.import_module(module.name)
    found: set[type[DomainError]] = set()
    todo = [DomainError]
    while todo:
        kind = todo.pop()
        found.add(kind)
        todo.extend(kind.__subclasses__())
    return found


def test_no_domain_error_knows_its_http_status():
    for kind in every_domain_error():
        assert not {"status", "status_code"} & set(vars(kind)), kind


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (InvalidInput("x"), 400),
        (UnreadableFile("x"), 422),
        (FileLimitExceeded("x", setting="S"), 422),
        (FileTooLarge("x", setting="S"), 413),
        (NotFound("x"), 404),
        (IllegalTransition("x"), 409),
        (OverlappingProvision("x"), 409),
        (PreconditionFailed("x"), 412),
    ],
)
def test_each_kind_takes_its_status_from_the_one_table(error, status):
    assert status_of(error) == status


def test_every_domain_error_anywhere_in_the_app_has_a_status():
    for kind in every_domain_error():
        if kind is FileLimitExceeded or issubclass(kind, FileLimitExceeded):
            error = kind("x", setting="S")
        else:
            error = kind("x")
        assert 400 <= status_of(error) < 500


def test_the_dutch_title_of_a_status_is_the_domain_error_title():
    assert TITLES[404] == NotFound.title
    assert TITLES[409] == Conflict.title
    assert TITLES[400] == InvalidInput.title
