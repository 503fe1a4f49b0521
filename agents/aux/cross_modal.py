"""Cross-modal prediction: predict each sense's embedding from the embeddings of all the others.

What is seen and what is felt, smelt or heard come from one world, so each sense is a teacher for the
others at every step (vision -> touch, smell, hearing and back), with no label but the world's coherence.

The target embedding is held fixed (stop-gradient), as in the forward model and in BYOL/SimSiam: with a
gradient on both sides, the cheapest way to agree is for every encoder to output the same constant, and the
loss would collapse the senses instead of tying them. Held fixed, a sense's encoder is shaped only where it
serves as a predictor's input, that is, to carry what tells about the other senses. Each sense's error is
divided by its target's variance (UnexplainedVariance), so a sense is not weighted by the scale of its features.
"""

import torch
from torch import nn

from agents.actor_critic import ActorCritic
from agents.aux.augment import shift_images
from agents.aux.base import AuxiliaryLoss, Transitions, UnexplainedVariance, predictor


class CrossModal(AuxiliaryLoss):
    name = "cross_modal"

    def __init__(self, agent: ActorCritic, shift: int = 0, hidden: int = 256):
        super().__init__()
        widths = {name: encoder.out_features for name, encoder in agent.encoders.items()}
        if len(widths) < 2:
            raise ValueError(
                f"aux.cross_modal predicts one sense from the others, but the agent has only {list(widths)}: set "
                "aux.cross_modal=0 or give the world a second sense"
            )
        self.shift = shift
        inputs = sum(widths.values())
        self.predictors = nn.ModuleDict(
            {name: predictor(inputs - width, width, hidden) for name, width in widths.items()}
        )
        self.errors = nn.ModuleDict({name: UnexplainedVariance() for name in widths})

    def forward(self, agent: ActorCritic, batch: Transitions) -> torch.Tensor:
        obs = shift_images(agent, batch.obs, self.shift)
        embeddings = {name: encoder(obs[name]) for name, encoder in agent.encoders.items()}
        losses = []
        for name, predict in self.predictors.items():
            others = torch.cat([e for other, e in embeddings.items() if other != name], dim=-1)
            losses.append(self.errors[name](predict(others), embeddings[name].detach()))
        return torch.stack(losses).mean()
