import pytest
import torch

from agents.inheritance import Inheritance, InheritanceError, check_signature, load_inheritance, signature


def _artifact(agent) -> Inheritance:
    return Inheritance("weights", {k: v.clone() for k, v in agent.state_dict().items()}, signature(agent), bits=1234,
                       record={"world": "Fake", "steps": 10})


def test_an_artifact_round_trips_through_a_file_read_without_pickled_code(tmp_path, make_world, make_agent):
    agent = make_agent(make_world())
    path = tmp_path / "ancestor.pt"
    torch.save(_artifact(agent).state(), path)
    loaded = load_inheritance(path)
    assert loaded.kind == "weights" and loaded.bits == 1234 and loaded.record == {"world": "Fake", "steps": 10}
    assert torch.equal(loaded.tensors["critic.weight"], agent.state_dict()["critic.weight"])
    check_signature(loaded, make_agent(make_world(), seed=1), path)  # same shape of agent: accepted


def test_an_artifact_for_another_agent_is_refused_with_what_differs(make_world, make_agent):
    artifact = _artifact(make_agent(make_world()))
    with pytest.raises(InheritanceError, match=r"agent\.latent differ"):
        check_signature(artifact, make_agent(make_world(), latent=32), "a.pt")
    smaller_eye = r"senses \{vector 4, vision 8x8x3\} \(this world gives \{vector 4, vision 16x16x3"
    with pytest.raises(InheritanceError, match=smaller_eye):
        check_signature(_artifact(make_agent(make_world(size=8))), make_agent(make_world()), "a.pt")


def test_a_missing_or_corrupt_artifact_says_how_to_make_one(tmp_path):
    with pytest.raises(InheritanceError, match="not found.*embodied ancestry"):
        load_inheritance(tmp_path / "nowhere.pt")
    corrupt = tmp_path / "corrupt.pt"
    corrupt.write_bytes(b"not a checkpoint")
    with pytest.raises(InheritanceError, match="not a readable inheritance artifact"):
        load_inheritance(corrupt)
