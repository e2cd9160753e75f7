"""The action server's answers validated against Rasa's schema, with the schema checked once.

Rasa 3.6 validates every action server response with ``jsonschema.validate(response, schema)``
(rasa.core.actions.action.RemoteAction._validate_action_result). ``jsonschema.validate`` first checks
the schema itself against the JSON Schema metaschema, on every call; for Rasa's events schema that is
~20 ms of CPU per custom action, more than the rest of an FAQ turn together (make bench, py-spy
profiles). This module replaces that method with the same validation using a validator built once:
an invalid response is still rejected with the same ValidationError and message.

Installed by the Rasa server's switch (rasa_server/__init__.py), which every entry point uses; nothing else in Rasa is changed.
"""

from __future__ import annotations

import functools
from typing import Any

from jsonschema import ValidationError, exceptions, validators
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL

_STOCK = RemoteAction._validate_action_result


@functools.lru_cache(maxsize=1)
def response_validator() -> Any:
    schema = RemoteAction.action_response_format_spec()
    validator_class = validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    error = exceptions.best_match(response_validator().iter_errors(result))
    if error is None:
        return True
    error.message += (
        ". Failed to validate Action server response from API, make sure your response from the Action "
        f"endpoint is valid. For more information about the format visit {DOCS_BASE_URL}/custom-actions"
    )
    raise error


def install() -> None:
    """Idempotent: the stock method is replaced once."""
    if RemoteAction._validate_action_result is _STOCK:
        RemoteAction._validate_action_result = validate_action_result


__all__ = ["ValidationError", "install", "response_validator", "validate_action_result"]
