"""Training throughput: our PPO against stable-baselines3's PPO on the same world, machine and batch.

Measures env steps consumed per wall second of training (rollout collection plus updates), for
  ours: a batched torch world `envs.make("Forage", num_envs=N)` driving `agents.ppo.PPO` (rollouts stay
        tensors, one batched forward pass per step);
  sb3:  `make_vec_env("embodied/Forage-v0", n_envs=N)` (N numpy envs in a DummyVecEnv, SB3's default)
        driving `stable_baselines3.PPO("MultiInputPolicy")`.
Both run on the CPU with the same torch thread count (torch's default unless `--torch-threads`), the
same world options and the same PPO hyperparameters (rollout steps per env, epochs, minibatch size,
learning rate, gamma, GAE lambda, clip, coefficients). The networks are each library's default for these
spaces (ours: a small conv net and per-sense MLPs; SB3: NatureCNN and flattened vectors), so this
compares the training systems as a user gets them, not identical arithmetic. One warm-up iteration
(first renders, allocations) is timed apart and excluded; then `--iterations` iterations of collect +
update are timed for each.

On a machine loaded by other processes, torch's OpenMP threads spin-wait for each other and small
networks can run 100x slower than on one thread; `--torch-threads 1` shows whether that is happening.

Reading the table: steps/s is the headline (env steps per wall second over the timed iterations);
collect steps/s and update s/iter split it, so one sees whether the world or the learner dominates.
The last line is the ratio ours/sb3 of training steps per second. Both run in one process one after
the other; on a shared machine the ratio is fairer than either absolute figure.

    python benchmarks/ppo_vs_sb3.py --num-envs 8 --rollout-steps 64 --epochs 4 --minibatches 4 --iterations 3
"""

import argparse
import time

import torch
from stable_baselines3 import PPO as SB3PPO
from stable_baselines3.common.callbacks import BaseCallback
from stable_baselines3.common.env_util import make_vec_env

import envs
from agents.actor_critic import ActorCritic
from agents.config import AgentConfig, PPOConfig
from agents.ppo import PPO


def time_ours(cfg: PPOConfig, num_envs: int, world_options: dict, iterations: int) -> dict[str, float]:
    """Warm-up iteration, then `iterations` timed iterations of `collect` and `update`."""
    torch.manual_seed(0)
    world = envs.make("Forage", num_envs=num_envs, seed=0, **world_options)
    agent = ActorCritic(world.single_observation_space, world.single_action_space, AgentConfig())
    ppo = PPO(agent, cfg, [], device="cpu")
    obs, _ = world.reset(seed=0)
    start = time.perf_counter()
    obs = ppo.collect(world, obs)
    ppo.update()
    warmup = time.perf_counter() - start
    collect = update = 0.0
    for _ in range(iterations):
        start = time.perf_counter()
        obs = ppo.collect(world, obs)
        middle = time.perf_counter()
        ppo.update()
        collect, update = collect + middle - start, update + time.perf_counter() - middle
    world.close()
    return {"warmup": warmup, "collect": collect, "update": update}


class RolloutClock(BaseCallback):
    """Timestamps of each rollout's start and end, to split SB3's wall time into collection and update."""

    def __init__(self):
        super().__init__()
        self.starts: list[float] = []
        self.ends: list[float] = []

    def _on_rollout_start(self) -> None:
        self.starts.append(time.perf_counter())

    def _on_rollout_end(self) -> None:
        self.ends.append(time.perf_counter())

    def _on_step(self) -> bool:
        return True


def time_sb3(cfg: PPOConfig, num_envs: int, world_options: dict, iterations: int) -> dict[str, float]:
    """The same schedule through `learn`: one warm-up iteration, then `iterations` more, continuing."""
    vec = make_vec_env("embodied/Forage-v0", n_envs=num_envs, seed=0, env_kwargs=world_options)
    model = SB3PPO(
        "MultiInputPolicy", vec, n_steps=cfg.rollout_steps, batch_size=num_envs * cfg.rollout_steps // cfg.minibatches,
        n_epochs=cfg.epochs, learning_rate=cfg.learning_rate, gamma=cfg.gamma, gae_lambda=cfg.gae_lambda,
        clip_range=cfg.clip, ent_coef=cfg.entropy_coef, vf_coef=cfg.value_coef, max_grad_norm=cfg.max_grad_norm,
        device="cpu", seed=0,
    )
    per_iteration = num_envs * cfg.rollout_steps
    start = time.perf_counter()
    model.learn(total_timesteps=per_iteration)
    warmup = time.perf_counter() - start
    clock = RolloutClock()
    model.learn(total_timesteps=iterations * per_iteration, callback=clock, reset_num_timesteps=False)
    finish = time.perf_counter()
    vec.close()
    collect = sum(end - begin for begin, end in zip(clock.starts, clock.ends, strict=True))
    update = sum(end - begin for begin, end in zip(clock.ends, [*clock.starts[1:], finish], strict=True))
    return {"warmup": warmup, "collect": collect, "update": update}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--num-envs", type=int, default=8, help="worlds stepped together (N)")
    parser.add_argument("--rollout-steps", type=int, default=64, help="steps per world per rollout (n_steps)")
    parser.add_argument("--epochs", type=int, default=4, help="passes over each rollout")
    parser.add_argument("--minibatches", type=int, default=4, help="minibatches per epoch (sb3 batch_size = N*n/this)")
    parser.add_argument("--vision-size", type=int, default=40, help="eye resolution in pixels (square)")
    parser.add_argument("--iterations", type=int, default=3, help="timed iterations (collect + update) for each")
    parser.add_argument("--torch-threads", type=int, default=0, help="torch threads for both; 0 leaves torch's default")
    args = parser.parse_args()
    if args.torch_threads:
        torch.set_num_threads(args.torch_threads)

    cfg = PPOConfig(rollout_steps=args.rollout_steps, epochs=args.epochs, minibatches=args.minibatches)
    world_options = {"vision_size": args.vision_size}
    steps = args.iterations * args.num_envs * args.rollout_steps
    print(f"Forage, N={args.num_envs}, vision {args.vision_size} px, rollout {args.rollout_steps}, "
          f"epochs {args.epochs}, minibatches {args.minibatches}, {args.iterations} timed iterations "
          f"({steps} env steps), torch threads {torch.get_num_threads()}")
    results = {"ours": time_ours(cfg, args.num_envs, world_options, args.iterations),
               "sb3": time_sb3(cfg, args.num_envs, world_options, args.iterations)}

    print(f"{'':6} {'steps/s':>9} {'collect steps/s':>16} {'update s/iter':>14} {'warm-up s':>10}")
    rates = {}
    for name, r in results.items():
        rates[name] = steps / (r["collect"] + r["update"])
        print(f"{name:6} {rates[name]:>9.0f} {steps / r['collect']:>16.0f} {r['update'] / args.iterations:>14.2f} "
              f"{r['warmup']:>10.2f}")
    print(f"ours/sb3 = {rates['ours'] / rates['sb3']:.1f}x (target >= 3x)")


if __name__ == "__main__":
    main()
