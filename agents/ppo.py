"""Proximal policy optimisation on a batched world, plus auxiliary losses (after CleanRL's
ppo_continuous_action, with the world's batch as the vector of environments).

Everything stays a tensor on the learner's device: the step loop never waits on the device, and an
update synchronises once, to report its metrics. Vector senses are normalised inside the agent; their
statistics move only after an update has learned from a rollout, so the policy that collected a rollout
is exactly the policy the update starts from (the first probability ratio is exactly 1). The critic
learns returns in units of their running std (see ActorCritic.value_norm), so `loss/value` is unitless.
"""

import gymnasium
import torch
from gymnasium import spaces
from torch import nn

from agents.actor_critic import ActorCritic, Obs
from agents.aux.base import AuxiliaryLoss, check_reach
from agents.config import PPOConfig
from agents.optimizer import build_optimizer
from agents.rollout import Rollout
from agents.threads import one_thread_on_cpu


def move(x: torch.Tensor, device: torch.device) -> torch.Tensor:
    """Copies to an accelerator may overlap with compute; copies to the host must finish before it reads."""
    return x.to(device, non_blocking=device.type != "cpu")


def move_obs(obs: Obs, device: torch.device) -> Obs:
    return {name: move(x, device) for name, x in obs.items()}


def explained_variance(values: torch.Tensor, returns: torch.Tensor) -> torch.Tensor:
    """1 when the critic predicts the returns exactly, 0 when it is no better than their mean."""
    return 1.0 - (returns - values).var() / returns.var()


class PPO:
    """The learner: collects rollouts from a batched world and improves the agent from them.

    `total_updates` (the number of `update` calls the run will make) is needed only to anneal the
    learning rate linearly to zero.
    """

    def __init__(
        self,
        agent: ActorCritic,
        cfg: PPOConfig,
        aux_losses: list[tuple[AuxiliaryLoss, float]],
        device: torch.device | str,
        total_updates: int | None = None,
    ):
        if cfg.anneal_lr and total_updates is None:
            raise ValueError("anneal_lr needs total_updates, the number of updates the run will make")
        self.cfg, self.total_updates, self.device = cfg, total_updates, torch.device(device)
        check_reach([loss for loss, _ in aux_losses], cfg.rollout_steps)
        self.agent = agent.to(self.device)
        self.aux_losses = nn.ModuleList(loss for loss, _ in aux_losses).to(self.device)
        self.aux_weights = [weight for _, weight in aux_losses]
        self.parameters = [*self.agent.parameters(), *self.aux_losses.parameters()]
        self.optimizer = build_optimizer(self.agent, self.parameters, cfg.learning_rate,
                                         cfg.hidden_learning_rate_scale, cfg.weight_decay, self.device)
        self.env_steps = 0
        self.updates = 0
        self.rollout: Rollout | None = None

    @torch.no_grad()
    def collect(self, world: gymnasium.vector.VectorEnv, obs: Obs) -> Obs:
        """Act in every world for cfg.rollout_steps steps from `obs`; returns the obs to continue from.

        An episode cut by truncation would have gone on, so its last reward is bootstrapped with
        gamma * V(final_obs); a terminated episode has no future and gets nothing.
        """
        with one_thread_on_cpu(self.device):
            return self._collect(world, obs)

    def _collect(self, world: gymnasium.vector.VectorEnv, obs: Obs) -> Obs:
        # A world on an accelerator says its flags cost a stall to read (`host_branches`): then every step values
        # its final observations, which it hands over at every step, and no branch waits for the device.
        host_branches = getattr(world, "host_branches", True)
        if self.rollout is None or self.rollout.num_envs != world.num_envs:
            # Innate circuits' memory is stored with the senses, so the update sees what the acting policy saw.
            self.rollout = Rollout(
                spaces.Dict({**self.agent.observation_space.spaces, **self.agent.memory_space}),
                self.agent.action_space.shape[0],
                self.cfg.rollout_steps,
                world.num_envs,
                self.device,
            )
        rollout = self.rollout
        obs = self.agent.remember(move_obs(obs, self.device))
        rollout.start(obs)
        for t in range(self.cfg.rollout_steps):
            action, log_prob, value = self.agent.act(obs)
            next_obs, reward, terminated, truncated, info = world.step(move(action, world.device))
            done = move(terminated | truncated, self.device)
            obs = self.agent.remember(move_obs(next_obs, self.device), obs, done)
            rollout.insert(t, action, log_prob, value, move(reward, self.device), done, obs)
            # Read on the world's device: free for a CPU world; truncations are rare, so this beats
            # encoding every row's final obs at every step. A world whose physics diverged gives nothing to
            # bootstrap from.
            if not host_branches or truncated.any():
                final_value = self.agent.value(move_obs(info["final_obs"], self.device))
                bootstrap = truncated & ~info["unstable"] if "unstable" in info else truncated
                rollout.rewards[t] += torch.where(move(bootstrap, self.device), self.cfg.gamma * final_value, 0.0)
        self.env_steps += self.cfg.rollout_steps * world.num_envs
        if hasattr(world, "check_faults"):
            world.check_faults()  # what a world on an accelerator noticed but did not stop for
        return obs

    def update(self) -> dict[str, float]:
        """Learn from the last rollout: cfg.epochs passes over it in cfg.minibatches shuffled minibatches."""
        cfg, agent, rollout = self.cfg, self.agent, self.rollout
        if cfg.anneal_lr:
            for group in self.optimizer.param_groups:
                group["lr"] = cfg.learning_rate * group["lr_scale"] * max(0.0, 1.0 - self.updates / self.total_updates)
        with torch.no_grad():
            rollout.compute_returns(agent.value(rollout.last_obs()), cfg.gamma, cfg.gae_lambda)
        agent.value_norm.update(rollout.returns.reshape(-1, 1))
        value_scale = agent.value_norm.std

        sums: dict[str, torch.Tensor] = {}
        for _ in range(cfg.epochs):
            for index in rollout.minibatches(cfg.minibatches):
                batch = rollout.batch(index)
                log_prob, entropy, value, latent = agent.evaluate(batch.obs, batch.actions)
                log_ratio = log_prob - batch.log_probs
                ratio = log_ratio.exp()
                advantages = (batch.advantages - batch.advantages.mean()) / (batch.advantages.std() + 1e-8)
                policy_loss = torch.max(
                    -advantages * ratio, -advantages * ratio.clamp(1.0 - cfg.clip, 1.0 + cfg.clip)
                ).mean()
                value_loss = 0.5 * ((value - batch.returns) / value_scale).square().mean()
                entropy = entropy.mean()
                loss = policy_loss - cfg.entropy_coef * entropy + cfg.value_coef * value_loss
                terms = {"loss/policy": policy_loss, "loss/value": value_loss, "entropy": entropy}
                if self.aux_losses:
                    transitions = rollout.transitions(index, batch, latent)
                    for aux, weight in zip(self.aux_losses, self.aux_weights, strict=True):
                        terms[f"aux/{aux.name}"] = aux_loss = aux(agent, transitions)
                        loss = loss + weight * aux_loss

                self.optimizer.zero_grad(set_to_none=True)
                loss.backward()
                nn.utils.clip_grad_norm_(self.parameters, cfg.max_grad_norm, foreach=True)
                self.optimizer.step()

                terms["approx_kl"] = ((ratio - 1.0) - log_ratio).mean()
                terms["clipfrac"] = ((ratio - 1.0).abs() > cfg.clip).float().mean()
                for name, term in terms.items():
                    sums[name] = sums.get(name, 0.0) + term.detach()

        count = cfg.epochs * cfg.minibatches
        metrics = {name: total / count for name, total in sums.items()}
        metrics["explained_variance"] = explained_variance(rollout.values, rollout.returns)
        episode_returns, episode_lengths = rollout.finished_episodes()
        metrics["episode/count"] = torch.tensor(float(episode_returns.numel()))
        if episode_returns.numel():
            metrics["episode/return"] = episode_returns.mean()
            metrics["episode/length"] = episode_lengths.mean()

        agent.update_normalizers(rollout.acted_obs())
        agent.age(rollout.steps * rollout.num_envs)
        self.updates += 1
        values = torch.stack([m.to(self.device) for m in metrics.values()]).tolist()  # the one sync
        report = dict(zip(metrics, values, strict=True))
        return report | {"learning_rate": self.optimizer.param_groups[0]["lr"]}

    def state_dict(self) -> dict:
        """All a resumed run needs to continue as if never stopped, random streams included (the world's
        own state is the world's business)."""
        state = {
            "agent": self.agent.state_dict(),
            "aux_losses": self.aux_losses.state_dict(),
            "optimizer": self.optimizer.state_dict(),
            "env_steps": self.env_steps,
            "updates": self.updates,
            "rng": torch.get_rng_state(),
        }
        if self.device.type == "cuda":
            state["cuda_rng"] = torch.cuda.get_rng_state(self.device)
        return state

    def load_state_dict(self, state: dict) -> None:
        self.agent.load_state_dict(state["agent"])
        self.aux_losses.load_state_dict(state["aux_losses"])
        self.optimizer.load_state_dict(state["optimizer"])
        self.env_steps, self.updates = state["env_steps"], state["updates"]
        torch.set_rng_state(state["rng"])
        if "cuda_rng" in state:
            torch.cuda.set_rng_state(state["cuda_rng"], self.device)
