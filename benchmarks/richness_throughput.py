"""Richness throughput: env steps per second of Forage on every rung of the richness ladder, same eye.

Each preset adds senses or factors (per-world cameras, lights, sizes, moving distractors, noise) on top of
the one before; the table shows what each costs, as the share of the impoverished world's throughput kept
(the target for `rich` is at least 0.5). Measured as in world_throughput.py (`world.step` alone, uniform
random actions, warm-up untimed, the fastest of `--repeats` timings). The presets' worlds of one batch size
live side by side and are timed in turn, repeat after repeat, so a burst of load on a shared machine falls
on all of them alike rather than on whichever preset was being timed.

    python benchmarks/richness_throughput.py --num-envs 8 32 --vision-size 40 --env-steps 4096
"""

import torch
from world_throughput import TimedWorld, timing_arguments

from envs.richness import PRESETS


def main() -> None:
    args = timing_arguments(__doc__.splitlines()[0], [8, 32]).parse_args()
    print(f"Forage, vision {args.vision_size} px, {args.env_steps} env steps per cell, "
          f"torch threads {torch.get_num_threads()}")
    print(f"{'N':>4} {'preset':>14} {'steps/s':>9} {'us/step':>9} {'of impoverished':>16}")
    for n in args.num_envs:
        worlds = {preset: TimedWorld(n, args.env_steps, args.warmup, vision_size=args.vision_size, richness=preset)
                  for preset in PRESETS}
        best = {preset: float("inf") for preset in PRESETS}
        for _ in range(args.repeats):
            for preset, timed in worlds.items():
                best[preset] = min(best[preset], timed.time())
        base = None
        for preset, timed in worlds.items():
            rate = timed.env_steps / best[preset]
            base = base or rate
            print(f"{n:>4} {preset:>14} {rate:>9.0f} {1e6 / rate:>9.0f} {rate / base:>16.2f}")
            timed.close()


if __name__ == "__main__":
    main()
