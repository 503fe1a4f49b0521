"""Behaviour at birth through the genomic bottleneck: how much of an ancestor's probe score a newborn keeps when
its weights are decoded from a genome `compression` times smaller, against a blank newborn and a random policy.

An ancestor pre-trains by PPO on Forage over ancestral seeds (`embodied ancestry`); genomes of several generator
widths are fitted to its weights (`embodied genome`), by regression alone or then also to its actions
(`behaviour_steps`); each newborn (the ancestor's own weights through `inherit`,
each genome through `genome`, a blank slate) is scored once at birth, before any learning, on the held-out
evaluation worlds. The table gives each one's size, compression, bits and probe, and its share of the ancestor's
margin over random: (newborn - random) / (ancestor - random); a genome's action error is its decoded network's
squared difference from the ancestor's mean actions on ancestral observations, as a share of their variance.

    python benchmarks/genome_birth.py --ancestry-steps 153600 --out runs/genome_birth
    python benchmarks/genome_birth.py --artifact runs/genome_birth/ancestry/ancestor.pt --hidden 64 \
        --behaviour-steps 0 1500
"""

import argparse
from pathlib import Path

import torch

import envs
from embodied.ancestry import run_ancestry
from embodied.birth import newborn
from embodied.config import load_config
from embodied.evaluation import Evaluator, agent_policy
from embodied.genome import make_genome


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", default="configs/forage.yaml")
    parser.add_argument("--ancestry-steps", type=int, default=153600, help="env steps of the ancestry")
    parser.add_argument("--artifact", help="an ancestor.pt to reuse instead of living a new ancestry")
    parser.add_argument("--hidden", type=int, nargs="+", default=[8, 32, 128], help="generator widths")
    parser.add_argument("--depth", type=int, default=2, help="generator hidden layers")
    parser.add_argument("--behaviour-steps", type=int, nargs="+", default=[0],
                        help="steps fitting each genome to the ancestor's actions after the regression (0: none)")
    parser.add_argument("--eval-worlds", type=int, default=16, help="held-out worlds scored at once")
    parser.add_argument("--eval-seconds", type=float, default=60.0, help="simulated seconds per held-out world")
    parser.add_argument("--out", default="runs/genome_birth")
    parser.add_argument("overrides", nargs="*", help="config overrides for ancestry and newborns (key=value)")
    args = parser.parse_args()

    out = Path(args.out)
    overrides = [*args.overrides, f"eval.num_envs={args.eval_worlds}", f"eval.seconds={args.eval_seconds}"]
    artifact = Path(args.artifact) if args.artifact else None
    if artifact is None:
        cfg = load_config(args.config, [*overrides, f"run_dir={out}", "name=ancestry",
                                        f"ancestry.steps={args.ancestry_steps}"], world_names=envs.names())
        artifact, _ = run_ancestry(cfg, progress=True)

    newborns = {"ancestor (inherit, 32-bit weights)": ["prior.name=inherit", f"prior.artifact={artifact}"]}
    sizes = {}
    for hidden in args.hidden:
        for behaviour in args.behaviour_steps:
            path, genome = make_genome(artifact, [f"hidden={hidden}", f"depth={args.depth}",
                                                  f"behaviour_steps={behaviour}"],
                                       out / f"genome_h{hidden}_d{args.depth}_b{behaviour}.pt")
            name = f"genome, generator {hidden} wide" + (f", {behaviour} behaviour steps" if behaviour else "")
            newborns[name] = ["prior.name=genome", f"prior.artifact={path}"]
            sizes[name] = genome.record["genome"]
    newborns["blank"] = ["prior.name=blank"]

    cfg = load_config(args.config, overrides, world_names=envs.names())
    evaluator = Evaluator(cfg)
    try:
        evaluator.calibrate()
        scores = {}
        for name, prior in newborns.items():
            newborn_cfg = load_config(args.config, [*overrides, *prior], world_names=envs.names())
            torch.manual_seed(newborn_cfg.seed)
            space = evaluator.world.single_observation_space, evaluator.world.single_action_space
            agent = newborn(newborn_cfg, *space).eval()
            scores[name] = (evaluator.score(agent_policy(agent, torch.device("cpu"), cfg.eval.deterministic)),
                            agent.inherited_bits)
    finally:
        evaluator.close()

    ancestor = scores["ancestor (inherit, 32-bit weights)"][0]
    print(f"\n{evaluator.probe} at birth on {args.eval_worlds} held-out worlds x {args.eval_seconds:g} s; scripted "
          f"reference {evaluator.reference:.2f}, random {evaluator.random:.2f}\n")
    print("| newborn | genome parameters | compression | inherited bits | mean layer fit | action error "
          "| probe at birth | share of ancestor's margin |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, (score, bits) in scores.items():
        size = sizes.get(name)
        genome = ["", "", "", ""] if size is None else [
            f"{size['genome_parameters']:,}", f"{size['compression']:.1f}x",
            f"{sum(size['explained_variance'].values()) / size['layers']:.2f}",
            "" if size["action_error"] is None else f"{size['action_error'][1]:.2f}"]
        share = (score - evaluator.random) / (ancestor - evaluator.random)
        cells = [name, *genome[:2], f"{bits:,}", *genome[2:], f"{score:.2f}", f"{share:.2f}"]
        print("| " + " | ".join(cells) + " |")

if __name__ == "__main__":
    main()
