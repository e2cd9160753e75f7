"""The action server package.

Two kinds of code live here:

* the clinic core (``content``, ``knowledge``, ``intake_answers``, ``screening``, ``booking``, and
  ``lang``, the words of the language the parser reads): pure Python, no Rasa imports, driven by the
  clinic-editable YAML under ``actions/content``;
* thin Rasa adapters (``actions.conversation``) that translate between the conversation
  (tracker, slots, dispatcher) and the core.
"""
