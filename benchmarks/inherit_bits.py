"""Learning speed of the `inherit` prior as a function of inherited bits (and of `lottery` and a blank slate).

An ancestor pre-trains by PPO on Forage over ancestral seeds (`embodied ancestry`), then newborns of one seed
live the same short life with different inheritances: the ancestor's weights at full precision, at 8, 4 and 1
bit (sign), its top 10% by magnitude, its encoders only, its pruned wiring with fresh weights (lottery), and
nothing (blank). The table gives each newborn's inherited bits and its probe on held-out worlds at birth (the
first evaluation, before any learning), midway and at the end.

    python benchmarks/inherit_bits.py --ancestry-steps 92160 --steps 20480 --out runs/inherit_bits
    python benchmarks/inherit_bits.py --artifact runs/inherit_bits/ancestry/ancestor.pt ...   # reuse an ancestor
"""

import argparse

import envs
from agents.inheritance import load_inheritance
from embodied.ancestry import run_ancestry
from embodied.config import load_config
from embodied.lifetime import train
from embodied.metrics import read_metrics
from embodied.run_folder import RunFolder

BUDGETS = {
    "blank": ["prior.name=blank"],
    "inherit 32-bit": ["prior.name=inherit"],
    "inherit 8-bit": ["prior.name=inherit", "prior.bits=8"],
    "inherit 4-bit": ["prior.name=inherit", "prior.bits=4"],
    "inherit 1-bit sign": ["prior.name=inherit", "prior.bits=1"],
    "inherit top 10%": ["prior.name=inherit", "prior.keep=0.1"],
    "inherit encoders": ["prior.name=inherit", "prior.parts=encoders"],
    "lottery top 10%": ["prior.name=lottery", "prior.keep=0.1"],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", default="configs/forage.yaml")
    parser.add_argument("--ancestry-steps", type=int, default=92160, help="env steps of the ancestry")
    parser.add_argument("--steps", type=int, default=20480, help="env steps of each newborn's life")
    parser.add_argument("--evaluations", type=int, default=4, help="evaluations after birth in each life")
    parser.add_argument("--seed", type=int, default=0, help="the newborns' seed")
    parser.add_argument("--out", default="runs/inherit_bits", help="folder for the ancestry and the newborns")
    parser.add_argument("--artifact", help="an ancestor.pt to reuse instead of running the ancestry")
    parser.add_argument("--only", nargs="*", choices=list(BUDGETS), help="budgets to run (default: all)")
    parser.add_argument("overrides", nargs="*", help="config overrides for ancestry and newborns (key=value)")
    args = parser.parse_args()

    artifact = args.artifact
    if artifact is None:
        cfg = load_config(args.config, [*args.overrides, f"run_dir={args.out}", "name=ancestry", f"seed={args.seed}",
                                        f"ancestry.steps={args.ancestry_steps}"], world_names=envs.names())
        artifact, _ = run_ancestry(cfg, progress=False)
    ancestor = load_inheritance(artifact).record
    print(f"ancestor: {artifact}, {ancestor['env_steps']} env steps, {ancestor['probe']} "
          f"{ancestor['final_score']:.2f} on held-out worlds")

    every = args.steps // args.evaluations
    rows = []
    for label in args.only or BUDGETS:
        name = label.replace(" ", "_").replace("%", "pct")
        cfg = load_config(args.config, [*args.overrides, f"run_dir={args.out}", f"name={name}", f"seed={args.seed}",
                                        f"prior.artifact={artifact}", f"train.total_steps={args.steps}",
                                        f"train.eval_every={every}", f"train.checkpoint_every={args.steps}",
                                        *BUDGETS[label]], world_names=envs.names())
        run = RunFolder.create(cfg)
        summary = train(cfg, run, progress=False)
        probe = [row[summary["probe"]] for row in read_metrics(run.metrics_path) if summary["probe"] in row]
        rows.append((label, summary["inherited_bits"], probe[0], probe[len(probe) // 2], probe[-1],
                     summary["random_score"], summary["reference_score"]))
        print(f"{label}: {rows[-1][1:]}", flush=True)

    print(f"\nnewborns of seed {args.seed}, {args.steps} env steps each; {summary['probe']} on held-out worlds "
          f"(random {rows[-1][5]:.2f}, scripted reference {rows[-1][6]:.2f}); ancestor "
          f"{ancestor['final_score']:.2f} after {ancestor['env_steps']} env steps\n")
    print(f"| newborn | inherited bits | at birth | after {args.steps // 2} steps | after {args.steps} steps |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for label, bits, birth, middle, end, _, _ in rows:
        print(f"| {label} | {bits:,} | {birth:.2f} | {middle:.2f} | {end:.2f} |")


if __name__ == "__main__":
    main()
