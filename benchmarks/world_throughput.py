"""World throughput: env steps per second of a batched Forage world, with and without vision.

Measures `world.step` alone (physics, task logic, senses, autoreset) under uniform random actions in
[-1, 1], for each batch size N, once with every sense and once blind (touch, proprioception and
vestibular only). A step of a batch of N worlds counts N env steps, so the figures are what a learner
can consume at best. Each cell is warmed up (renderer creation, first steps), then times `--env-steps`
env steps (rounded up to whole batch steps) `--repeats` times and keeps the fastest.

Reading the table: steps/s is env steps per wall second summed over worlds; us/step is its inverse, the
cost of one env step; vision/blind is the share of throughput left when the eye is rendered (1 means
vision is free). On a shared machine absolute figures move with the load; the ratio, measured in one
run, is fairer.

    python benchmarks/world_throughput.py --num-envs 1 8 32 --vision-size 40 --env-steps 4096
"""

import argparse
import time

import torch

import envs

BLIND = ("touch", "proprioception", "vestibular")


class TimedWorld:
    """A Forage world (`options` of `envs.make`) under uniform random actions, warmed up by `warmup` batch
    steps, whose `time()` steps it through about `env_steps` env steps and returns the wall seconds they took.
    Several can live side by side, so that a benchmark interleaves their timings and they share the load."""

    def __init__(self, num_envs: int, env_steps: int, warmup: int, **options):
        self.world = envs.make("Forage", num_envs=num_envs, seed=0, **options)
        self.world.reset(seed=0)
        self.generator = torch.Generator().manual_seed(0)
        self.batch_steps = -(-env_steps // num_envs)
        self.env_steps = self.batch_steps * num_envs
        for action in self._actions(warmup):
            self.world.step(action)

    def _actions(self, batch_steps: int) -> torch.Tensor:
        shape = (batch_steps, self.world.num_envs, *self.world.single_action_space.shape)
        return torch.rand(shape, generator=self.generator) * 2 - 1

    def time(self) -> float:
        actions = self._actions(self.batch_steps)
        start = time.perf_counter()
        for action in actions:
            self.world.step(action)
        return time.perf_counter() - start

    def close(self) -> None:
        self.world.close()


def steps_per_second(num_envs: int, env_steps: int, warmup: int, repeats: int = 3, **options) -> float:
    """Env steps per wall second of a Forage world (`options` of `envs.make`): the best of `repeats` timings
    of `env_steps` each, one after the other in the same world (as timeit does: on a shared machine the
    slower ones measure the other processes)."""
    timed = TimedWorld(num_envs, env_steps, warmup, **options)
    best = min(timed.time() for _ in range(repeats))
    timed.close()
    return timed.env_steps / best


def timing_arguments(description: str, num_envs: list[int]) -> argparse.ArgumentParser:
    """The options every throughput benchmark takes: batch sizes, eye resolution, how much and how often to time."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--num-envs", type=int, nargs="+", default=num_envs, help="batch sizes N")
    parser.add_argument("--vision-size", type=int, default=40, help="eye resolution in pixels (square)")
    parser.add_argument("--env-steps", type=int, default=4096, help="env steps timed per cell, summed over worlds")
    parser.add_argument("--warmup", type=int, default=5, help="untimed batch steps before timing")
    parser.add_argument("--repeats", type=int, default=3, help="timings per cell; the fastest counts")
    return parser


def main() -> None:
    args = timing_arguments(__doc__.splitlines()[0], [1, 8, 32]).parse_args()

    print(f"Forage, vision {args.vision_size} px, {args.env_steps} env steps per cell, "
          f"torch threads {torch.get_num_threads()}")
    print(f"{'N':>4} {'vision steps/s':>15} {'us/step':>9} {'blind steps/s':>14} {'us/step':>9} {'vision/blind':>13}")
    for n in args.num_envs:
        seen = steps_per_second(n, args.env_steps, args.warmup, args.repeats, vision_size=args.vision_size)
        blind = steps_per_second(n, args.env_steps, args.warmup, args.repeats, vision_size=args.vision_size,
                                 senses=BLIND)
        print(f"{n:>4} {seen:>15.0f} {1e6 / seen:>9.0f} {blind:>14.0f} {1e6 / blind:>9.0f} {seen / blind:>13.2f}")


if __name__ == "__main__":
    main()
