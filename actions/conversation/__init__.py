"""Rasa custom actions: thin adapters between the conversation and the clinic core.

The action server is started with ``--actions actions.conversation`` so that only this package is
scanned for actions. Nothing here holds clinical logic or visitor-facing text: texts come from
actions/content/*.yml through the knowledge module, decisions from actions.screening.
"""
