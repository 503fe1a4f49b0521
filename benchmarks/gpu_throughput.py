"""GPU throughput: env steps per second of the warp backend, with and without eyes, and of whole training (our PPO),
beside the CPU backend on the same machine.

For each batch size N on `--device` (CUDA when there is one), Forage with every sense:
  step eye     `world.step` alone, one `--vision-size` RGB eye (64 x 64 by default) and the vector senses
  step blind   the same without the eye (touch, proprioception, vestibular, smell, hearing)
  train eye    our PPO (collect + update, the learner on the same device as the worlds), env steps consumed per
               second; its rollouts hold `--rollout-steps` steps of every world
and the CPU backend's step eye and train eye at `--cpu-num-envs`. Actions are uniform random for the steps, the
policy's for training. Each cell is warmed up (kernels compiled, graphs captured, renderers built) and then timed
over at least `--seconds` of wall time (whole batch steps or PPO iterations), with the device synchronised before
each clock is read. Prints the device, torch and Warp versions and a table; `--out` also writes the figures as JSON.

    python benchmarks/gpu_throughput.py --num-envs 256 1024 4096 8192 --cpu-num-envs 8 32 --out throughput.json
"""

import argparse
import gc
import json
import platform
import time

import torch

import envs
from agents.actor_critic import ActorCritic
from agents.config import AgentConfig, PPOConfig
from agents.ppo import PPO

VECTOR_SENSES = ("touch", "proprioception", "vestibular", "smell", "hearing")


def synchronize(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def release(device: torch.device) -> None:
    """Give a closed world's memory back before the next cell is built (8192 worlds with eyes are gigabytes)."""
    gc.collect()
    if device.type == "cuda":
        torch.cuda.empty_cache()


def timed(run, device: torch.device, warmup: int, seconds: float) -> float:
    """Calls of `run()` per wall second: `warmup` calls untimed, then as many as fill `seconds` (at least two)."""
    for _ in range(warmup):
        run()
    synchronize(device)
    calls, start = 0, time.perf_counter()
    while calls < 2 or time.perf_counter() - start < seconds:
        run()
        calls += 1
        synchronize(device)
    return calls / (time.perf_counter() - start)


def world_rate(backend: str, device: torch.device, num_envs: int, seconds: float, **options) -> float:
    """Env steps per second of `world.step` alone under uniform random actions."""
    with envs.make("Forage", num_envs=num_envs, seed=0, backend=backend, device=device, **options) as world:
        world.reset(seed=0)
        actions = torch.rand(num_envs, world.single_action_space.shape[0], device=device) * 2 - 1
        rate = num_envs * timed(lambda: world.step(actions), device, warmup=3, seconds=seconds)
    release(device)
    return rate


def training_rate(backend: str, device: torch.device, num_envs: int, seconds: float, rollout_steps: int,
                  **options) -> float:
    """Env steps per second of our PPO's iterations (a rollout collected, then learned from)."""
    torch.manual_seed(0)
    with envs.make("Forage", num_envs=num_envs, seed=0, backend=backend, device=device, **options) as world:
        agent = ActorCritic(world.single_observation_space, world.single_action_space, AgentConfig())
        ppo = PPO(agent, PPOConfig(rollout_steps=rollout_steps), [], device)
        observation = world.reset(seed=0)[0]

        def iteration() -> None:
            nonlocal observation
            observation = ppo.collect(world, observation)
            ppo.update()

        rate = num_envs * rollout_steps * timed(iteration, device, warmup=1, seconds=seconds)
    release(device)
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--num-envs", type=int, nargs="+", default=[256, 1024, 4096, 8192], help="warp batch sizes")
    parser.add_argument("--cpu-num-envs", type=int, nargs="*", default=[8, 32], help="CPU backend batch sizes")
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu", help="the warp device")
    parser.add_argument("--vision-size", type=int, default=64, help="eye resolution in pixels (square)")
    parser.add_argument("--rollout-steps", type=int, default=32, help="steps per world per PPO rollout")
    parser.add_argument("--seconds", type=float, default=5.0, help="wall seconds timed per cell, at least")
    parser.add_argument("--out", help="write the figures to this JSON file too")
    args = parser.parse_args()
    device = torch.device(args.device)
    import warp  # noqa: PLC0415  (the gpu extra: only this benchmark needs it at import)

    name = torch.cuda.get_device_name(device) if device.type == "cuda" else platform.processor() or "CPU"
    print(f"device: {name}; torch {torch.__version__}, warp {warp.__version__}, {torch.get_num_threads()} CPU threads")
    eye = dict(vision_size=args.vision_size)
    blind = dict(senses=VECTOR_SENSES)
    rows = []
    for backend, where, sizes in (("warp", device, args.num_envs), ("mujoco", torch.device("cpu"), args.cpu_num_envs)):
        for n in sizes:
            row = {"backend": backend, "device": str(where), "num_envs": n,
                   "step_eye": world_rate(backend, where, n, args.seconds, **eye),
                   "step_blind": world_rate(backend, where, n, args.seconds, **blind),
                   "train_eye": training_rate(backend, where, n, args.seconds, args.rollout_steps, **eye)}
            rows.append(row)
            print(f"{backend:>7} {row['device']:>7} N {n:>5}: step eye {row['step_eye']:>9.0f}  "
                  f"step blind {row['step_blind']:>9.0f}  train eye {row['train_eye']:>9.0f} env steps/s", flush=True)
    if args.out:
        with open(args.out, "w") as file:
            json.dump({"device": name, "torch": torch.__version__, "warp": warp.__version__,
                       "vision_size": args.vision_size, "rollout_steps": args.rollout_steps, "rows": rows}, file,
                      indent=2)


if __name__ == "__main__":
    main()
