"""The ancestral phase's last step for a genome: fit a generator to an ancestor's weights by regression, and
pass on the generator in place of the weights.

Every layer's weights and biases are standardised by their layer's mean and spread and the generator is fitted
to them by mean squared error with Adam, each layer weighing equally (a minibatch draws a layer, then a synapse
in it), so the narrow layers that act (the policy's head) count as much as the wide ones that feed them.

What is not a layer travels as it is and is counted at 32 bits a number: the senses' running statistics and the
return normaliser (a few numbers per sense; they are the scale the decoded weights were tuned to see the world
at, not wiring) and the policy's log std (one number per action). What a learning rule keeps in a layer (the
fixed random feedback of feedback alignment) is the newborn's own and is not passed on.

With `behaviour_steps`, the regression is only the start: the generator is then fitted through the decoder to the
ancestor's actions (agents/genome/behaviour.py), since the regression alone passes on too little of what a layer
learned from a random start to keep the ancestor's behaviour at a compression of 10x or more.

Size: the genome's parameters are the generator's plus each layer's scale and shift; its compression is the
ancestor's decoded parameters (every weight and bias) over those. Its bits are 32 a parameter (unquantised)
plus the numbers that travel as they are.
"""

import math

import torch
from pydantic import BaseModel, ConfigDict, Field

from agents.actor_critic import ActorCritic, Obs
from agents.genome.behaviour import fit_behaviour
from agents.genome.generator import GENERATOR, Generator, decode, parameter_count
from agents.genome.synapses import SynapseCodes, decoded_entries, decoded_layers
from agents.inheritance import Inheritance

CARRIED = "carried."


class GenomeConfig(BaseModel):
    """The generator's size and how it is fitted (`embodied genome ARTIFACT key=value ...`)."""

    model_config = ConfigDict(extra="forbid")

    hidden: int = Field(64, ge=1, description="width of the generator's hidden layers (64: 30x compression of the "
                        "forage agent)")
    depth: int = Field(2, ge=1, description="hidden layers of the generator")
    steps: int = Field(3000, ge=1, description="Adam steps of the regression")
    batch: int = Field(4096, ge=1, description="synapses per step")
    learning_rate: float = Field(3e-3, gt=0, description="Adam's learning rate, decayed to zero on a cosine")
    seed: int = Field(0, ge=0, description="seed of the generator's initialisation and of the minibatches")
    behaviour_steps: int = Field(
        1000, ge=0, description="Adam steps after the regression fitting the decoded network's actions to the "
        "ancestor's on observations from its ancestral worlds (agents/genome/behaviour.py); each decodes every "
        "weight; 0: weights alone, which keeps nothing of the ancestor's behaviour at 10x or more"
    )
    behaviour_batch: int = Field(256, ge=1, description="observations per behaviour step")
    behaviour_learning_rate: float = Field(2e-3, gt=0, description="Adam's learning rate in the behaviour steps")
    observations: int = Field(2048, ge=1, description="observations the ancestor makes for the behaviour fit")


def fit_genome(ancestor: Inheritance, cfg: GenomeConfig,
               behaviour: tuple[ActorCritic, Obs] | None = None) -> Inheritance:
    """The genome artifact of an ancestor's weights artifact: the fitted generator, each layer's scale and shift,
    and what travels as it is; its record is the ancestry's plus the genome's size and fit. With
    `cfg.behaviour_steps`, `behaviour` is the ancestor's network (its weights loaded) and observations it made."""
    if ancestor.kind != "weights":
        raise ValueError(f"a genome is fitted to an ancestor's weights, but this artifact holds {ancestor.kind!r}; "
                         "give the ancestor.pt that `embodied ancestry` wrote")
    if cfg.behaviour_steps and behaviour is None:
        raise ValueError("behaviour_steps needs the ancestor's network and observations it made")
    layers = decoded_layers(ancestor.signature["parameters"])
    codes = SynapseCodes(layers)
    targets = codes.gather(ancestor.tensors)
    sizes = codes.offsets.diff()
    shift = torch.stack([chunk.mean() for chunk in targets.split(sizes.tolist())])
    scale = torch.stack([chunk.std(unbiased=False).clamp(min=1e-8) for chunk in targets.split(sizes.tolist())])
    layer_of = torch.repeat_interleave(torch.arange(len(layers)), sizes)

    torch.manual_seed(cfg.seed)
    generator = Generator(codes.width, cfg.hidden, cfg.depth)
    _regress(generator, codes, (targets - shift[layer_of]) / scale[layer_of], cfg)
    action_error = None
    if cfg.behaviour_steps:
        action_error = fit_behaviour(generator, codes, scale, shift, *behaviour, cfg.behaviour_steps,
                                     cfg.behaviour_batch, cfg.behaviour_learning_rate)

    decoded = codes.gather(decode(generator, layers, scale, shift))
    explained = {layer.name: _explained(decoded[a:b], targets[a:b])
                 for layer, a, b in zip(layers, codes.offsets[:-1].tolist(), codes.offsets[1:].tolist(), strict=True)}
    tensors = {GENERATOR + name: t.detach().clone() for name, t in generator.state_dict().items()}
    tensors |= {"layer_scale": scale, "layer_shift": shift}
    skipped = decoded_entries(layers) | {name for name in ancestor.tensors
                                         if any(name.startswith(layer.name + ".") for layer in layers)}
    tensors |= {CARRIED + name: t.clone() for name, t in ancestor.tensors.items() if name not in skipped}
    genome_parameters = parameter_count(generator) + 2 * len(layers)
    carried_bits = sum(32 * t.numel() for name, t in tensors.items() if name.startswith(CARRIED))
    bits = 32 * genome_parameters + carried_bits
    record = dict(ancestor.record) | {"genome": {
        "config": cfg.model_dump(),
        "layers": len(layers),
        "decoded_parameters": codes.count,
        "genome_parameters": genome_parameters,
        "compression": codes.count / genome_parameters,
        "carried_numbers": carried_bits // 32,
        "ancestor_bits": int(ancestor.bits),
        "bits": bits,
        "explained_variance": explained,
        "action_error": action_error,
    }}
    return Inheritance("genome", tensors, ancestor.signature, bits, record)


def _regress(generator: Generator, codes: SynapseCodes, standard: torch.Tensor, cfg: GenomeConfig) -> None:
    """Adam on the squared error between the generator's output and the standardised weights [count]; each
    minibatch draws a layer, then a synapse in it, so that every layer weighs the same."""
    inputs, sizes = codes.all(), codes.offsets.diff()
    optimiser = torch.optim.Adam(generator.parameters(), lr=cfg.learning_rate)
    cosine = lambda step: 0.5 * (1 + math.cos(math.pi * step / cfg.steps))  # noqa: E731
    schedule = torch.optim.lr_scheduler.LambdaLR(optimiser, cosine)
    for _ in range(cfg.steps):
        layer = torch.randint(len(codes.layers), (cfg.batch,))
        index = codes.offsets[layer] + (torch.rand(cfg.batch) * sizes[layer]).long()
        loss = (generator(inputs[index]) - standard[index]).square().mean()
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
        schedule.step()


def _explained(decoded: torch.Tensor, target: torch.Tensor) -> float:
    """The share of a layer's variance the decoded weights reproduce: 1 - residual variance / variance."""
    return float(1 - (decoded - target).square().mean() / target.var(unbiased=False).clamp(min=1e-12))


def genome_state(genome: Inheritance) -> dict[str, torch.Tensor]:
    """The newborn's state entries a genome gives: every layer's weight and bias decoded, and what travels as is."""
    layers = decoded_layers(genome.signature["parameters"])
    generator = Generator.from_tensors(genome.tensors)
    state = decode(generator, layers, genome.tensors["layer_scale"], genome.tensors["layer_shift"])
    return state | {name.removeprefix(CARRIED): t for name, t in genome.tensors.items() if name.startswith(CARRIED)}
