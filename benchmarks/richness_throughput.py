"""Richness throughput: env steps per second of Forage on every rung of the richness ladder, same eye.

Each preset adds senses or factors (per-world cameras, lights, sizes, moving distractors, noise) on top of
the one before; the table shows what each costs, as the share of the impoverished world's throughput kept
(the target for `rich` is at least 0.5). Measured as in world_throughput.py (`world.step` alone, uniform
random actions, warm-up untimed, the fastest of `--repeats` timings), every preset in one run so the shares
are fair on a shared machine.

    python benchmarks/richness_throughput.py --num-envs 8 32 --vision-size 40 --env-steps 4096
"""

import argparse

import torch
from world_throughput import steps_per_second

from envs.richness import PRESETS


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--num-envs", type=int, nargs="+", default=[8, 32], help="batch sizes N")
    parser.add_argument("--vision-size", type=int, default=40, help="eye resolution in pixels (square)")
    parser.add_argument("--env-steps", type=int, default=4096, help="env steps timed per cell, summed over worlds")
    parser.add_argument("--warmup", type=int, default=5, help="untimed batch steps before timing")
    parser.add_argument("--repeats", type=int, default=3, help="timings per cell; the fastest counts")
    args = parser.parse_args()

    print(f"Forage, vision {args.vision_size} px, {args.env_steps} env steps per cell, "
          f"torch threads {torch.get_num_threads()}")
    print(f"{'N':>4} {'preset':>14} {'steps/s':>9} {'us/step':>9} {'of impoverished':>16}")
    for n in args.num_envs:
        base = None
        for preset in PRESETS:
            rate = steps_per_second(n, args.env_steps, args.warmup, args.repeats, vision_size=args.vision_size,
                                    richness=preset)
            base = base or rate
            print(f"{n:>4} {preset:>14} {rate:>9.0f} {1e6 / rate:>9.0f} {rate / base:>16.2f}")


if __name__ == "__main__":
    main()
