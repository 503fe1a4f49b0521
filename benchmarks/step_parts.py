"""Step parts: where the time of one batched `world.step` of Forage goes (physics, task, each sense, each factor).

Times every part of the step with a clock around it, under uniform random actions, after an untimed warm-up;
`rest` is the step's own bookkeeping (actions, flags, autoreset). A part of a rich world is many small torch
operations on a few worlds, so its cost is the count of operations more than their size. On a shared machine
compare two versions by running this for each in turn, several times (A/B/A/B), and keep the fastest.

    python benchmarks/step_parts.py --num-envs 8 --richness rich --steps 500
"""

import argparse
import time
from collections import defaultdict

import torch

import envs
from envs.richness import Factor


def part_seconds(world, steps: int, warmup: int) -> tuple[dict[str, float], float]:
    """Seconds per batch step spent in each part of `world.step`, and in the whole step."""
    spent: dict[str, float] = defaultdict(float)

    def clocked(owner, method: str, label: str) -> None:
        inner = getattr(owner, method)

        def timed(*args, **kwargs):
            start = time.perf_counter()
            result = inner(*args, **kwargs)
            spent[label] += time.perf_counter() - start
            return result

        setattr(owner, method, timed)

    clocked(world.backend, "step", "physics")
    clocked(world.task, "step", "task")
    for sense in world.senses:
        clocked(sense, "read", f"sense {sense.name}")
    for factor in world.richness.factors:
        if factor.dynamic:
            clocked(factor, "step", f"factor {factor.name}")
        if type(factor).perturb is not Factor.perturb:  # the factors that change observations
            clocked(factor, "perturb", f"perturb {factor.name}")
    actions = torch.rand(warmup + steps, *world.action_space.shape, generator=torch.Generator().manual_seed(0)) * 2 - 1
    for action in actions[:warmup]:
        world.step(action)
    spent.clear()
    start = time.perf_counter()
    for action in actions[warmup:]:
        world.step(action)
    total = time.perf_counter() - start
    parts = {label: seconds / steps for label, seconds in sorted(spent.items())}
    parts["rest"] = total / steps - sum(parts.values())
    return parts, total / steps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--num-envs", type=int, default=8, help="batch size N")
    parser.add_argument("--richness", default="rich", help="richness preset")
    parser.add_argument("--vision-size", type=int, default=40, help="eye resolution in pixels (square)")
    parser.add_argument("--steps", type=int, default=500, help="batch steps timed")
    parser.add_argument("--warmup", type=int, default=20, help="untimed batch steps before timing")
    args = parser.parse_args()

    with envs.make("Forage", num_envs=args.num_envs, seed=0, vision_size=args.vision_size,
                   richness=args.richness) as world:
        world.reset(seed=0)
        parts, total = part_seconds(world, args.steps, args.warmup)
    print(f"Forage, {args.richness}, N {args.num_envs}, vision {args.vision_size} px, {args.steps} steps, "
          f"torch threads {torch.get_num_threads()}")
    for label, seconds in parts.items():
        print(f"{label:>24} {seconds * 1e3:7.3f} ms")
    print(f"{'step':>24} {total * 1e3:7.3f} ms")


if __name__ == "__main__":
    main()
