import math

import pytest
import torch

from agents.config import PriorConfig
from agents.inheritance import Inheritance, InheritanceError, signature
from agents.priors import apply_prior
from agents.priors.bit_budget import mask_bits

SMALL = dict(conv_channels=(8, 8), image_features=32, vector_hidden=32, latent=32)


@pytest.fixture
def ancestor_file(tmp_path, make_world, make_agent):
    """An ancestor whose every state entry (its senses' statistics too) differs from a newborn's."""
    ancestor = make_agent(make_world(), seed=7, **SMALL)
    with torch.no_grad():
        for tensor in ancestor.state_dict().values():
            tensor.add_(torch.rand_like(tensor))
    path = tmp_path / "ancestor.pt"
    torch.save(Inheritance("weights", ancestor.state_dict(), signature(ancestor), bits=1).state(), path)
    return path, ancestor.state_dict()


def _newborn(make_world, make_agent, **prior):
    return apply_prior(make_agent(make_world(), seed=0, **SMALL), PriorConfig(**prior))


def test_at_full_bits_the_newborn_is_its_ancestor(ancestor_file, make_world, make_agent):
    path, ancestor = ancestor_file
    agent = _newborn(make_world, make_agent, name="inherit", artifact=str(path))
    for name, tensor in agent.state_dict().items():
        assert torch.equal(tensor, ancestor[name]), name
    assert agent.inherited_bits == sum(32 * t.numel() for t in ancestor.values())


def test_encoders_only_leaves_the_rest_fresh(ancestor_file, make_world, make_agent):
    path, ancestor = ancestor_file
    fresh = _newborn(make_world, make_agent).state_dict()
    agent = _newborn(make_world, make_agent, name="inherit", artifact=str(path), parts="encoders")
    for name, tensor in agent.state_dict().items():
        assert torch.equal(tensor, (ancestor if name.startswith("encoders.") else fresh)[name]), name
    assert agent.inherited_bits == sum(32 * t.numel() for n, t in ancestor.items() if n.startswith("encoders."))


def test_a_budget_compresses_the_weights_and_counts_their_bits(ancestor_file, make_world, make_agent):
    path, ancestor = ancestor_file
    agent = _newborn(make_world, make_agent, name="inherit", artifact=str(path), bits=1, keep=0.5)
    parameters = dict(agent.named_parameters())
    weight = parameters["fusion.0.weight"]
    assert (weight != 0).float().mean().item() == pytest.approx(0.5, abs=0.01)
    assert weight[weight != 0].abs().unique().numel() == 1  # one magnitude: signs only
    expected = sum(mask_bits(p.numel(), max(1, round(0.5 * p.numel()))) + max(1, round(0.5 * p.numel())) + 32
                   for p in parameters.values())
    expected += sum(32 * t.numel() for name, t in ancestor.items() if name not in parameters)  # senses' statistics
    assert agent.inherited_bits == math.ceil(expected)
    assert agent.inherited_bits < sum(32 * t.numel() for t in ancestor.values()) / 16


def test_a_blank_newborn_inherits_nothing(make_world, make_agent):
    assert _newborn(make_world, make_agent).inherited_bits == 0


def test_an_artifact_of_another_kind_or_agent_is_refused(tmp_path, ancestor_file, make_world, make_agent):
    path, ancestor = ancestor_file
    other = make_agent(make_world(), **SMALL)
    mask = tmp_path / "mask.pt"
    torch.save(Inheritance("mask", ancestor, signature(other), bits=1).state(), mask)
    with pytest.raises(InheritanceError, match="holds 'mask'.*inherits 'weights'"):
        _newborn(make_world, make_agent, name="inherit", artifact=str(mask))
    bigger = make_agent(make_world(), latent=64)
    with pytest.raises(InheritanceError, match="made for another agent"):
        apply_prior(bigger, PriorConfig(name="lottery", artifact=str(path)))


def test_inheriting_without_an_artifact_or_at_an_odd_precision_is_a_config_error():
    with pytest.raises(ValueError, match="set prior.artifact"):
        PriorConfig(name="inherit")
    with pytest.raises(ValueError, match="1 to 16 bits"):
        PriorConfig(name="inherit", artifact="a.pt", bits=24)
