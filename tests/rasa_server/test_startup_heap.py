"""Once the model is loaded, the Rasa server's start-up objects are out of the collector's full passes."""

from __future__ import annotations

import asyncio
import gc
import weakref

import rasa.core.run

import rasa_server
from rasa_server.speedups import startup_heap

rasa_server.install()  # installs the listener


class Model:
    """Something that lives as long as the server, with a reference cycle like most loaded objects."""

    def __init__(self):
        self.me = self


def test_the_switch_makes_the_server_register_the_freezing_listener():
    # serve_application looks the listener up after it created the channels (rasa/core/run.py)
    assert rasa.core.run.load_agent_on_start is startup_heap.load_agent_on_start


def test_after_the_model_loads_its_objects_are_frozen_and_start_up_garbage_collected(monkeypatch):
    loaded = {}

    async def stock_listener(model_path, endpoints, remote_storage, app, loop):
        loaded["agent"] = Model()
        garbage = Model()  # start-up garbage: a cycle nothing refers to any more
        loaded["garbage"] = weakref.ref(garbage)
        return loaded["agent"]

    monkeypatch.setattr(startup_heap, "_STOCK", stock_listener)
    gc.unfreeze()
    try:
        agent = asyncio.run(rasa.core.run.load_agent_on_start("model.tar.gz", None, None, object(), None))
        assert agent is loaded["agent"]
        assert gc.get_freeze_count() > 0
        tracked = {id(o) for o in gc.get_objects()}  # what the collector's passes walk
        assert id(agent) not in tracked
        assert loaded["garbage"]() is None
        after = Model()
        assert id(after) in {id(o) for o in gc.get_objects()}  # objects made later are still collected
    finally:
        gc.unfreeze()
