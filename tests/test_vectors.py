"""Every shared vector against the Python rule layer (the extension runs the same files in JavaScript)."""

import pytest

from promptfence.agent.rules import RulePack, load_json, shared_rules_dir

BASE = shared_rules_dir()
INDEX = load_json(BASE / "index.json")
PACK = RulePack.load()


def all_vectors():
    for name in INDEX["vector_files"]:
        for vector in load_json(BASE / name)["vectors"]:
            yield pytest.param(vector, id=f"{name}:{vector['name']}")


@pytest.mark.parametrize("vector", list(all_vectors()))
def test_vector(vector):
    got = [
        {"rule": f.rule, "type": f.type, "start": f.start, "end": f.end}
        for f in PACK.match(vector["input"])
    ]
    assert got == vector["expected"]
