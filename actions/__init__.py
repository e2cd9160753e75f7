"""The action server package.

Two kinds of code live here:

* the clinic core (``knowledge``, ``screening``, ``booking``): pure Python, no Rasa imports,
  driven by the clinic-editable YAML under ``actions/content``;
* thin Rasa adapters (``actions.rasa_actions``) that translate between the conversation
  (tracker, slots, dispatcher) and the core.
"""
