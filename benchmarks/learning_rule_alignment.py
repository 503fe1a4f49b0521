"""How closely a learning rule's weight updates follow backprop's, layer by layer, along a short Forage life.

Every `--every` updates the agent's weights are copied into a backprop twin and both take the gradient of the
same rollout's policy-gradient and value losses (at the start of an update PPO's probability ratio is 1, so
its clipped loss has the policy gradient's gradient). The table gives, per layer, the cosine between the
rule's gradient and backprop's for each loss, the norm of each layer's weights over their norm at birth, and
the share of tanh units in the fusion layers that are saturated (|h| > 0.97). A rule whose hidden layers get
errors near cosine 0 learns no better than its heads alone; sign symmetry's stay near 0.5-0.8.

    python benchmarks/learning_rule_alignment.py --rule feedback_alignment --steps 20480
    python benchmarks/learning_rule_alignment.py --rule feedback_alignment layer_rules='{heads: backprop}'
    python benchmarks/learning_rule_alignment.py --rule feedback_alignment 'ppo.weight_decay={feedback_alignment: 30}'
"""

import argparse

import torch
import torch.nn.functional as F
from torch import nn

import envs
from agents.actor_critic import ActorCritic
from agents.ppo import PPO
from embodied.config import load_config


def gradients(agent: ActorCritic, loss: torch.Tensor) -> dict[str, torch.Tensor]:
    """The gradient of `loss` for each weight matrix (and kernel) of the agent."""
    agent.zero_grad(set_to_none=True)
    loss.backward()
    return {name: p.grad.flatten() if p.grad is not None else torch.zeros(p.numel())
            for name, p in agent.named_parameters() if name.endswith("weight") and p.dim() > 1}


def losses(agent: ActorCritic, ppo: PPO) -> dict[str, torch.Tensor]:
    """The policy-gradient and value losses of the agent on the learner's last rollout."""
    batch = ppo.rollout.batch(torch.arange(ppo.rollout.steps * ppo.rollout.num_envs))
    log_prob, _, value, _ = agent.evaluate(batch.obs, batch.actions)
    advantages = (batch.advantages - batch.advantages.mean()) / (batch.advantages.std() + 1e-8)
    scale = agent.value_norm.std
    return {"policy": -(advantages * log_prob).mean(),
            "value": 0.5 * ((value - batch.returns) / scale).square().mean()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", default="configs/forage.yaml")
    parser.add_argument("--rule", default="feedback_alignment")
    parser.add_argument("--steps", type=int, default=20480, help="env steps of the life")
    parser.add_argument("--every", type=int, default=10, help="updates between measurements")
    parser.add_argument("overrides", nargs="*", help="agent options as key=value, e.g. "
                        "layer_rules='{heads: backprop}', or learner options as ppo.key=value")
    args = parser.parse_args()
    overrides = [o if o.startswith("ppo.") else f"agent.{o}" for o in args.overrides]
    cfg = load_config(args.config, [f"agent.learning_rule={args.rule}", *overrides])
    torch.manual_seed(cfg.seed)
    world = envs.make(cfg.world.name, num_envs=cfg.world.num_envs, seed=cfg.seed,
                      **cfg.world.model_dump(exclude={"name", "num_envs"}))
    spaces = world.single_observation_space, world.single_action_space
    agent = ActorCritic(*spaces, cfg.agent)
    twin = ActorCritic(*spaces, cfg.agent.model_copy(update={"learning_rule": "backprop", "layer_rules": {}}))
    ppo = PPO(agent, cfg.ppo, [], "cpu")
    birth_norms = {name: p.detach().norm() for name, p in agent.named_parameters() if name.endswith("weight")}
    tanh_out: dict[str, torch.Tensor] = {}
    for name, module in agent.fusion.named_children():
        if isinstance(module, nn.Tanh):
            module.register_forward_hook(lambda _m, _i, out, name=name: tanh_out.__setitem__(name, out.detach()))

    obs = world.reset(seed=cfg.seed)[0]
    while ppo.env_steps < args.steps:
        obs = ppo.collect(world, obs)
        if ppo.updates % args.every == 0:
            with torch.no_grad():
                rollout = ppo.rollout
                rollout.compute_returns(agent.value(rollout.last_obs()), cfg.ppo.gamma, cfg.ppo.gae_lambda)
            twin.load_state_dict(agent.state_dict(), strict=False)  # the twin has no feedback weights
            cosines = {}
            for part in ("policy", "value"):
                ours, exact = gradients(agent, losses(agent, ppo)[part]), gradients(twin, losses(twin, ppo)[part])
                cosines[part] = {n: F.cosine_similarity(ours[n], exact[n], dim=0).item() for n in ours}
            saturated = {f"fusion.{n}": f"{(h.abs() > 0.97).float().mean():.2f}" for n, h in tanh_out.items()}
            print(f"env steps {ppo.env_steps}: saturated tanh units {saturated}")
            weights = dict(agent.named_parameters())
            for name in cosines["policy"]:
                print(f"  {name.removesuffix('.weight'):32s} cos policy {cosines['policy'][name]:+.2f}"
                      f"  cos value {cosines['value'][name]:+.2f}"
                      f"  norm/birth {weights[name].detach().norm() / birth_norms[name]:.2f}")
        ppo.update()
    world.close()


if __name__ == "__main__":
    main()
