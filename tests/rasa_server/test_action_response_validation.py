"""The cached action-response validation accepts and rejects exactly what Rasa's stock validation does."""

from __future__ import annotations

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

import rasa_server
from rasa_server.speedups import action_response_validation

rasa_server.install()  # installs the cached validation

VALID = [
    {"events": [], "responses": []},
    {
        "events": [{"event": "slot", "name": "concern", "value": "acne_scars", "timestamp": None}],
        "responses": [{"text": "Thanks.", "buttons": [{"title": "Yes", "payload": "/affirm"}]}],
    },
    {"events": [{"event": "active_loop", "name": None}, {"event": "followup", "name": "action_listen"}]},
    {},
]
INVALID = [
    {"events": {"event": "slot"}},  # not a list
    {"events": [{"name": "concern", "value": "x"}]},  # no event type
    {"events": [{"event": "not_an_event"}]},  # matches none of Rasa's event types
    {"events": [{"event": "slot", "timestamp": "yesterday"}]},  # timestamp must be a number
    {"events": [], "responses": ["just a string"]},  # a response must be an object
    "not even an object",
]


def stock_outcome(response) -> str | None:
    try:
        action_response_validation._STOCK(RemoteAction("action_x", None), response)
    except ValidationError as error:
        return error.message
    return None


def cached_outcome(response) -> str | None:
    try:
        RemoteAction("action_x", None)._validate_action_result(response)
    except ValidationError as error:
        return error.message
    return None


def test_the_switch_replaces_the_stock_validation():
    assert RemoteAction._validate_action_result is action_response_validation.validate_action_result
    assert action_response_validation._STOCK is not action_response_validation.validate_action_result


@pytest.mark.parametrize("response", VALID)
def test_valid_responses_pass_both(response):
    assert stock_outcome(response) is None
    assert cached_outcome(response) is None


@pytest.mark.parametrize("response", INVALID)
def test_invalid_responses_are_rejected_with_the_stock_message(response):
    stock = stock_outcome(response)
    assert stock is not None
    assert cached_outcome(response) == stock
    assert "Failed to validate Action server response" in stock


def test_install_is_idempotent():
    action_response_validation.install()
    action_response_validation.install()
    assert RemoteAction._validate_action_result is action_response_validation.validate_action_result
