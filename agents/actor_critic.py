"""The newborn's network: per-sense encoders -> fused latent -> Gaussian actor and critic.

Actions are unbounded Gaussian samples and their log-probabilities are those of the unbounded sample;
the world clips them to [-1, 1], so the policy learns which of its samples the body can carry out.
"""

import torch
from gymnasium import spaces
from torch import nn
from torch.distributions import Normal

from agents.config import AgentConfig
from agents.encoders import VectorEncoder, build_encoders
from agents.innate import InnateCircuit
from agents.learning_rules import learning_rule
from agents.learning_rules.hebbian import hebbian_layers
from agents.normalizer import RunningNorm

Obs = dict[str, torch.Tensor]


class ActorCritic(nn.Module):
    """Actor and critic share one fused latent, so auxiliary losses on it shape what both use."""

    def __init__(self, observation_space: spaces.Dict, action_space: spaces.Box, cfg: AgentConfig):
        super().__init__()
        self.observation_space, self.action_space, self.cfg = observation_space, action_space, cfg
        self.encoders = build_encoders(observation_space, cfg)
        width = sum(encoder.out_features for encoder in self.encoders.values())
        fusion, heads = learning_rule(cfg.rule_for("fusion")), learning_rule(cfg.rule_for("heads"))
        self.fusion = nn.Sequential(
            fusion.linear(width, cfg.latent), nn.Tanh(), fusion.linear(cfg.latent, cfg.latent), nn.Tanh()
        )
        action_size = action_space.shape[0]
        # A small gain starts every action near zero, so the newborn's first moves are gentle and unbiased.
        self.actor_mean = heads.linear(cfg.latent, action_size, gain=0.01)
        self.actor_log_std = nn.Parameter(torch.full((action_size,), cfg.init_log_std))
        self.critic = heads.linear(cfg.latent, 1, gain=1.0)
        # The critic predicts returns relative to their running mean and in units of their running std,
        # which the learner updates before each update. Returns bootstrapped through truncation run to
        # reward / (1 - gamma); fitted raw, they drive the shared latent into saturation and the policy loses
        # its senses. The scale only ever shrinks returns (std >= 1): small or sparse rewards are fitted on
        # their own scale, since magnifying them would turn each rare reward into a huge value error.
        self.value_norm = RunningNorm(1, min_std=1.0)
        # Fixed wiring a prior may put between the actor's outputs and the body (agents/innate.py); none in a
        # blank slate.
        self.innate: InnateCircuit | None = None
        # Information inherited from an ancestor, in bits: 0 for a blank slate; priors from an ancestor set it.
        self.inherited_bits = 0
        # The layers that learn by a local rule as they act; the wiring is fixed at birth, so they are found once
        # (a plain list: they stay registered where they sit in the network).
        self.plastic_layers = hebbian_layers(self)

    def latent(self, obs: Obs) -> torch.Tensor:
        """The fused latent [B, latent] of a batch of observations."""
        return self.fusion(torch.cat([encoder(obs[name]) for name, encoder in self.encoders.items()], dim=-1))

    def value(self, obs: Obs) -> torch.Tensor:
        return self.value_of(self.latent(obs))

    def value_of(self, latent: torch.Tensor) -> torch.Tensor:
        """Value [B] on the returns' own scale."""
        return self.value_norm.denormalize(self.critic(latent)).squeeze(-1)

    def policy(self, latent: torch.Tensor, obs: Obs) -> Normal:
        """A diagonal Gaussian whose spread does not depend on the state (as in CleanRL); an innate circuit,
        if any, sets its mean from the actor's outputs and the observation."""
        mean = self.actor_mean(latent)
        if self.innate is not None:
            mean = self.innate(mean, latent, obs)
        return Normal(mean, self.actor_log_std.exp().expand_as(mean), validate_args=False)

    def act(self, obs: Obs, deterministic: bool = False) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """(action [B, A], log_prob [B], value [B]); deterministic acts with the mean, for evaluation. In
        training mode, Hebbian layers then learn from this step's activity (agents/learning_rules/hebbian.py)."""
        latent = self.latent(obs)
        policy = self.policy(latent, obs)
        action = policy.mean if deterministic else policy.sample()
        value = self.value_of(latent)
        if self.training:
            for layer in self.plastic_layers:
                layer.learn()
        return action, policy.log_prob(action).sum(-1), value

    def evaluate(self, obs: Obs, actions: torch.Tensor) -> tuple[torch.Tensor, ...]:
        """(log_prob [B], entropy [B], value [B], latent [B, latent]) of actions taken; the latent is
        returned so that auxiliary losses reuse it instead of encoding the batch a second time."""
        latent = self.latent(obs)
        policy = self.policy(latent, obs)
        value = self.value_of(latent)
        return policy.log_prob(actions).sum(-1), policy.entropy().sum(-1), value, latent

    def update_normalizers(self, obs: Obs) -> None:
        """Fold a batch of observations [B, ...] into each vector sense's running statistics."""
        for name, encoder in self.encoders.items():
            if isinstance(encoder, VectorEncoder):
                encoder.norm.update(obs[name])

    @property
    def memory_space(self) -> dict[str, spaces.Box]:
        """What the innate circuits remember per world, stored with the senses (see agents/innate.py)."""
        return {} if self.innate is None else self.innate.memory_space

    def remember(self, obs: Obs, previous: Obs | None = None, done: torch.Tensor | None = None) -> Obs:
        """`obs` with the innate circuits' memory: carried on from the step taken from `previous` (fresh where
        `done` [B], a life's first observation), or, without `previous`, kept if `obs` holds it and fresh if not.
        Without circuits that remember, `obs` itself."""
        if not self.memory_space:
            return obs
        if previous is None:
            return obs if self.memory_space.keys() <= obs.keys() else obs | self.innate.fresh_memory(obs)
        latent = self.latent(previous)
        memory = self.innate.next_memory(self.actor_mean(latent), latent, previous)
        if done is not None:
            fresh = self.innate.fresh_memory(obs)
            memory = {name: torch.where(done.view(-1, *[1] * (m.dim() - 1)), fresh[name], m)
                      for name, m in memory.items()}
        return obs | memory

    def age(self, steps: int) -> None:
        """`steps` more env steps lived: circuits that change with age move (after an update, see agents/innate.py)."""
        if self.innate is not None:
            self.innate.age(steps)
