"""The genomic bottleneck: identity codes, a generator that compresses structured wiring and cannot compress
random wiring, its size in parameters and bits, and the prior that decodes it into a newborn."""

import math

import pytest
import torch

from agents.config import PriorConfig
from agents.genome import GenomeConfig, fit_genome, genome_state
from agents.genome.codes import binary_codes, code_bits
from agents.genome.synapses import SynapseCodes, decoded_layers
from agents.inheritance import Inheritance, InheritanceError, signature
from agents.priors import apply_prior

SMALL = dict(conv_channels=(8, 8), image_features=32, vector_hidden=32, latent=32)
FIT = GenomeConfig(hidden=16, steps=600, batch=1024, behaviour_steps=0)


def _weights(agent, layer_weights=None) -> Inheritance:
    """A weights artifact of `agent`, its layers replaced by `layer_weights(shape)` if given."""
    state = {name: t.clone() for name, t in agent.state_dict().items()}
    if layer_weights is not None:
        for layer in decoded_layers({name: list(t.shape) for name, t in state.items()}):
            state[f"{layer.name}.weight"] = layer_weights(layer.shape)
            state[f"{layer.name}.bias"] = torch.linspace(-1, 1, layer.shape[0])
    return Inheritance("weights", state, signature(agent), bits=sum(32 * t.numel() for t in state.values()))


def _smooth(shape: tuple[int, ...]) -> torch.Tensor:
    """Wiring that depends smoothly on the post- and pre-synaptic indices (the same at every kernel tap)."""
    post = torch.arange(shape[0]).float().view(-1, 1) / shape[0]
    pre = torch.arange(shape[1]).float().view(1, -1) / shape[1]
    weight = torch.cos(math.pi * post) * torch.cos(math.pi * pre) + post - pre
    return weight.view(*shape[:2], *[1] * (len(shape) - 2)).expand(shape).clone()


@pytest.mark.parametrize("n", [1, 2, 5, 64, 100])
def test_every_neuron_of_a_layer_has_its_own_code(n):
    codes = binary_codes(n)
    assert codes.shape == (n, code_bits(n)) and code_bits(n) == max(1, math.ceil(math.log2(n)))
    assert len({tuple(code.tolist()) for code in codes}) == n
    assert set(codes.unique().tolist()) <= {-1.0, 1.0}
    with pytest.raises(ValueError, match="cannot name"):
        binary_codes(5, bits=2)


def test_every_synapse_of_the_network_has_its_own_code(make_world, make_agent):
    agent = make_agent(make_world(), **SMALL)
    codes = SynapseCodes(decoded_layers({name: list(t.shape) for name, t in agent.state_dict().items()}))
    inputs = codes.all()
    weights_and_biases = sum(p.numel() for name, p in agent.named_parameters() if name != "actor_log_std")
    assert inputs.shape == (codes.count, codes.width) and codes.count == weights_and_biases
    assert torch.unique(inputs, dim=0).shape[0] == codes.count
    state = agent.state_dict()
    assert all(torch.equal(t, state[name]) for name, t in codes.split(codes.gather(state)).items())


def test_the_generator_fits_smooth_wiring_closely_and_random_wiring_poorly(make_world, make_agent):
    agent = make_agent(make_world(), **SMALL)
    smooth = fit_genome(_weights(agent, _smooth), FIT).record["genome"]
    random = fit_genome(_weights(agent, lambda shape: torch.randn(shape)), FIT).record["genome"]
    assert smooth["compression"] > 5
    big = [layer.name for layer in decoded_layers(signature(agent)["parameters"]) if layer.synapses >= 256]
    assert len(big) >= 5
    for name in big:
        assert smooth["explained_variance"][name] > 0.6, (name, smooth["explained_variance"])
        assert random["explained_variance"][name] < 0.25, (name, random["explained_variance"])


def test_a_genome_counts_its_parameters_and_bits(make_world, make_agent):
    agent = make_agent(make_world(), **SMALL)
    ancestor = _weights(agent)
    genome = fit_genome(ancestor, GenomeConfig(hidden=8, depth=1, steps=1, behaviour_steps=0))
    layers = decoded_layers(signature(agent)["parameters"])
    # the widest layers: 32 neurons out (the latent), 64 in plus the bias neuron (fusion.0), 4 x 4 kernel taps
    width = len(layers) + code_bits(32) + code_bits(64 + 1) + code_bits(4) + code_bits(4)
    generator = width * 8 + 8 + 8 + 1
    figures = genome.record["genome"]
    assert figures["genome_parameters"] == generator + 2 * len(layers)
    assert figures["decoded_parameters"] == sum(p.numel() for n, p in agent.named_parameters() if n != "actor_log_std")
    assert figures["compression"] == figures["decoded_parameters"] / figures["genome_parameters"]
    carried = 2 + sum(t.numel() for name, t in agent.state_dict().items() if "norm." in name)  # log std, statistics
    assert figures["carried_numbers"] == carried
    assert genome.bits == 32 * (figures["genome_parameters"] + carried)
    assert figures["ancestor_bits"] == ancestor.bits


def test_a_newborn_decodes_its_genome_and_inherits_its_bits(tmp_path, make_world, make_agent):
    ancestor = make_agent(make_world(), seed=7, **SMALL)
    with torch.no_grad():
        for name, tensor in ancestor.state_dict().items():
            if "norm." in name:
                tensor.add_(torch.rand_like(tensor))
    genome = fit_genome(_weights(ancestor, _smooth), GenomeConfig(hidden=8, steps=50, behaviour_steps=0))
    path = tmp_path / "genome.pt"
    torch.save(genome.state(), path)
    newborn = apply_prior(make_agent(make_world(), seed=0, **SMALL), PriorConfig(name="genome", artifact=str(path)))
    decoded = genome_state(genome)
    state = newborn.state_dict()
    assert decoded.keys() == state.keys()
    for name, tensor in decoded.items():
        assert tensor.shape == state[name].shape and torch.equal(tensor, state[name]), name
    for name in ("encoders.vector.norm.mean", "value_norm.var", "actor_log_std"):
        assert torch.equal(state[name], ancestor.state_dict()[name])
    assert newborn.inherited_bits == genome.bits


def test_a_genome_for_another_agent_or_a_weights_artifact_is_refused(tmp_path, make_world, make_agent):
    agent = make_agent(make_world(), **SMALL)
    genome, weights = tmp_path / "genome.pt", tmp_path / "ancestor.pt"
    torch.save(fit_genome(_weights(agent), GenomeConfig(hidden=4, steps=1, behaviour_steps=0)).state(), genome)
    torch.save(_weights(agent).state(), weights)
    with pytest.raises(InheritanceError, match="made for another agent"):
        bigger = make_agent(make_world(), **(SMALL | {"latent": 64}))
        apply_prior(bigger, PriorConfig(name="genome", artifact=str(genome)))
    with pytest.raises(InheritanceError, match="holds 'weights', but prior 'genome' inherits 'genome'"):
        apply_prior(make_agent(make_world(), **SMALL), PriorConfig(name="genome", artifact=str(weights)))
    with pytest.raises(ValueError, match="fitted to an ancestor's weights"):
        fit_genome(fit_genome(_weights(agent), GenomeConfig(hidden=4, steps=1, behaviour_steps=0)), GenomeConfig())


def test_a_genome_prior_without_an_artifact_and_a_bad_generator_are_config_errors():
    with pytest.raises(ValueError, match="set prior.artifact to the genome.pt"):
        PriorConfig(name="genome")
    for bad in (dict(hidden=0), dict(depth=0), dict(width=3)):
        with pytest.raises(ValueError):
            GenomeConfig(**bad)


def test_fitting_to_behaviour_brings_the_decoded_actions_to_the_ancestors(make_world, make_agent):
    world = make_world(num_envs=64)
    ancestor = make_agent(world, seed=3, **SMALL)
    with torch.no_grad():
        ancestor.actor_mean.weight.mul_(100)  # actions that depend clearly on what the ancestor senses
    observations, _ = world.reset(seed=0)
    ancestor.update_normalizers(observations)
    artifact = _weights(ancestor)
    cfg = GenomeConfig(hidden=16, steps=50, batch=1024, behaviour_steps=100, behaviour_batch=64)
    error = fit_genome(artifact, cfg, (ancestor, observations)).record["genome"]["action_error"]
    assert error[1] < 0.5 * error[0], error
    with pytest.raises(ValueError, match="needs the ancestor's network and observations"):
        fit_genome(artifact, cfg)
