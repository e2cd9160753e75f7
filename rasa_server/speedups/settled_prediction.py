"""TED's inference is skipped when a rule or a remembered story has already settled the next action.

Rasa 3.6 asks every policy of config.yml for each prediction (MemoizationPolicy, RulePolicy, TEDPolicy,
in that order in the prediction graph), then its ensemble keeps one (rasa/core/policies/ensemble.py,
``_pick_best_policy``): if any prediction is a "no user" prediction (a form's happy path), only those
compete; else if any is an end-to-end prediction (made from the user's text), only those compete; among
the rest the highest (confidence, policy priority) wins. Only the winner's probabilities, optional
events and metadata are kept; the others contribute their mandatory events, and TED has none.

So TED's answer cannot change the outcome when an earlier policy's prediction for the same tracker
  - is a "no user" or an end-to-end prediction, while this TED cannot make end-to-end predictions
    (trained without user texts in its stories, as ours is), or
  - has confidence 1.0 and a higher priority than TED's (RulePolicy 6, MemoizationPolicy 3, TED 1),
    as TED's softmax confidences are at most 1.0;
unless the previous action was rejected (the ensemble then zeroes that action's probability in every
prediction, which can undo a confidence of 1.0). In those cases TED returns what it returns without a
model (all zeros) instead of running TensorFlow: ~4 ms saved on most of the two to four predictions of a
turn (`make bench`). In every other case, and if the graph ever runs TED before the others, TED runs.

Installed by the Rasa server's switch (rasa_server/__init__.py). tests/rasa_server/test_settled_prediction.py
predicts every step of the test stories with and without it and compares the ensemble's choices.
"""

from __future__ import annotations

import threading
import weakref
from typing import Any, Callable, Optional

from rasa.core.policies.ensemble import DefaultPolicyPredictionEnsemble
from rasa.core.policies.memoization import MemoizationPolicy
from rasa.core.policies.policy import PolicyPrediction
from rasa.core.policies.rule_policy import RulePolicy
from rasa.core.policies.ted_policy import TEDPolicy
from rasa.shared.core.events import ActionExecuted, ActionExecutionRejected
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import TEXT
from rasa.utils.tensorflow.constants import MODEL_CONFIDENCE, SOFTMAX

STOCK_MEMOIZATION = MemoizationPolicy.predict_action_probabilities
STOCK_RULE = RulePolicy.predict_action_probabilities
STOCK_TED = TEDPolicy.predict_action_probabilities
STOCK_COMBINE = DefaultPolicyPredictionEnsemble.combine_predictions


class _Settled(threading.local):
    """The strongest earlier prediction of the graph run in progress (one run at a time per thread)."""

    def __init__(self) -> None:
        self.clear()

    def clear(self) -> None:
        self.tracker: Optional[weakref.ref] = None  # the tracker the predictions were made for
        self.events = -1  # its number of events then
        self.excludes_others = False  # a "no user" or end-to-end prediction was made
        self.priority = -1  # the highest priority among predictions with confidence 1.0


_settled = _Settled()


def _settled_for(tracker: DialogueStateTracker) -> bool:
    """Whether what is noted is about this tracker as it is now (same object, no event added since)."""
    noted, events = _settled.tracker, len(tracker.events)
    return noted is not None and noted() is tracker and _settled.events == events


def _note(tracker: DialogueStateTracker, prediction: PolicyPrediction) -> None:
    if not _settled_for(tracker):
        _settled.clear()
        _settled.tracker, _settled.events = weakref.ref(tracker), len(tracker.events)
    if prediction.is_no_user_prediction or prediction.is_end_to_end_prediction:
        _settled.excludes_others = True
    if prediction.max_confidence >= 1.0:
        _settled.priority = max(_settled.priority, prediction.policy_priority)


def _previous_action_rejected(tracker: DialogueStateTracker) -> bool:
    for event in reversed(tracker.events):
        if isinstance(event, ActionExecutionRejected):
            return True
        if isinstance(event, ActionExecuted):
            return False
    return False


def ted_is_outvoted(ted: TEDPolicy, tracker: DialogueStateTracker) -> bool:
    """True when the predictions already made for this tracker leave TED no way to win."""
    if not _settled_for(tracker):
        return False
    if type(ted) is not TEDPolicy:
        return False
    if TEXT in (getattr(ted, "fake_features", None) or {}) or ted.config.get(MODEL_CONFIDENCE) != SOFTMAX:
        return False  # this TED could make end-to-end predictions, or its confidences are not softmax
    if _previous_action_rejected(tracker):
        return False
    return _settled.excludes_others or _settled.priority > ted.priority


def _noting(stock: Callable[..., PolicyPrediction]) -> Callable[..., PolicyPrediction]:
    """A policy's stock prediction method that also notes its prediction for TED."""

    def predict(self: Any, tracker: DialogueStateTracker, domain: Any, *args: Any, **kwargs: Any) -> PolicyPrediction:
        prediction = stock(self, tracker, domain, *args, **kwargs)
        _note(tracker, prediction)
        return prediction

    return predict


def _ted_predict(
    self: TEDPolicy, tracker: DialogueStateTracker, domain: Any, *args: Any, **kwargs: Any
) -> PolicyPrediction:
    if ted_is_outvoted(self, tracker):
        return self._prediction(self._default_predictions(domain))
    return STOCK_TED(self, tracker, domain, *args, **kwargs)


def _combine(self: DefaultPolicyPredictionEnsemble, *args: Any, **kwargs: Any) -> PolicyPrediction:
    try:
        return STOCK_COMBINE(self, *args, **kwargs)
    finally:
        _settled.clear()


def install() -> None:
    MemoizationPolicy.predict_action_probabilities = _noting(STOCK_MEMOIZATION)
    RulePolicy.predict_action_probabilities = _noting(STOCK_RULE)
    TEDPolicy.predict_action_probabilities = _ted_predict
    DefaultPolicyPredictionEnsemble.combine_predictions = _combine
