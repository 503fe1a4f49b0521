"""The `embodied` command: train, ancestry, genome, evaluate, video, experiment, report, publish, findings, envs."""

import argparse
import sys
from pathlib import Path

import yaml

import envs
from agents.inheritance import InheritanceError
from embodied.config import ConfigError, load_config
from embodied.experiments.spec import REPO
from embodied.run_folder import RunFolder, RunFolderError
from envs.richness import PRESETS


def _split(items: list[str]) -> tuple[str | None, list[str]]:
    """`[CONFIG] [key=value ...]`: the config file is the one argument that is not an override."""
    files = [item for item in items if "=" not in item]
    if len(files) > 1:
        raise ConfigError(f"expected at most one config file, got {files}; overrides look like key.sub=value")
    return (files[0] if files else None), [item for item in items if "=" in item]


def _seeds(text: str) -> int | list[int]:
    """`--seeds 5` or `--seeds [4,7]`, read as the experiment file reads its seeds."""
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError:
        raise argparse.ArgumentTypeError(f"{text!r} is neither a count nor a list such as [4,7]") from None


NOT_DEFINED = "not defined: the world has no scripted animal whose score competence is judged against"


def _yardsticks(reference: float | None, random: float) -> str:
    scripted = "no scripted reference" if reference is None else f"scripted reference {reference:.2f}"
    return f"{scripted}, random {random:.2f}"


def _time(seconds: float) -> str:
    return f"{seconds / 60:.1f} simulated minutes" if seconds < 3 * 3600 else f"{seconds / 3600:.2f} simulated hours"


def cmd_train(args: argparse.Namespace) -> int:
    from embodied.birth import check_birth
    from embodied.lifetime import train
    from embodied.trained_agent import load_trained_agent

    path, overrides = _split(args.items)
    if args.resume:
        if path:
            raise ConfigError("--resume continues a run with its own config.yaml; give overrides only")
        run = RunFolder.open(args.resume)
        cfg = load_config(run.config_path, overrides, world_names=envs.names())
    else:
        cfg = load_config(path, overrides, world_names=envs.names())
        check_birth(cfg)
        run = RunFolder.create(cfg)
        cfg = run.config()
    print(f"run folder: {run.path}", flush=True)
    summary = train(cfg, run, resume=bool(args.resume), progress=not args.quiet)
    if summary["inherited_bits"]:
        print(f"inherited {summary['inherited_bits']:,} bits ({cfg.prior.name} from {cfg.prior.artifact})")
    print(f"{summary['probe']} on held-out worlds: final {summary['final_score']:.2f}, "
          f"best {summary['best_score']:.2f}; {_yardsticks(summary['reference_score'], summary['random_score'])}")
    if summary["competent"] is None:
        print(f"time to competence: {NOT_DEFINED}")
    elif summary["competent"]:
        print(f"time to competence: {_time(summary['time_to_competence_seconds'])} "
              f"(probe >= {summary['competence_threshold']:.2f} for {cfg.eval.hold} evaluations)")
    else:
        print(f"competence (probe >= {summary['competence_threshold']:.2f} for {cfg.eval.hold} evaluations) "
              f"was not reached within the budget of {_time(summary['life_seconds'])}")
    if not args.no_video:
        trained = load_trained_agent(run)
        video = _record(trained, run.videos_dir / "trained.mp4")
        print(f"video: {video}")
    print(f"metrics: {run.metrics_path} (TensorBoard: tensorboard --logdir {run.tb_dir})")
    print(f"learning curve: {run.plots_dir / 'learning_curve.png'}")
    print(f"summary: {run.summary_path}")
    return 0


def cmd_ancestry(args: argparse.Namespace) -> int:
    from embodied.ancestry import resume_ancestry, run_ancestry

    if args.resume:
        if args.items:
            raise ConfigError("--resume continues an ancestry with its own config.yaml, so that it leaves the artifact "
                              f"an uninterrupted one would; drop {' '.join(args.items)}")
        artifact, inheritance, already = resume_ancestry(args.resume, progress=not args.quiet)
        if already:
            print(f"the ancestry in {args.resume} has finished; nothing is left to resume")
    else:
        path, overrides = _split(args.items)
        cfg = load_config(path, overrides, world_names=envs.names())
        artifact, inheritance = run_ancestry(cfg, progress=not args.quiet)
    record = inheritance.record
    print(f"ancestor after {record['env_steps']} env steps ({_time(record['life_seconds'])}) over "
          f"{len(record['stages'])} stretches of ancestral worlds: {record['probe']} {record['final_score']:.2f} on "
          "held-out worlds")
    print(f"inheritance artifact: {artifact} ({inheritance.kind}, {inheritance.bits:,} bits)")
    prior = "hebbian" if inheritance.kind == "rule" else "inherit"
    print(f"a newborn inherits it with: embodied train [CONFIG] prior.name={prior} prior.artifact={artifact} "
          "(and the ancestry's agent options)")
    return 0


def cmd_genome(args: argparse.Namespace) -> int:
    from embodied.genome import make_genome

    path, genome = make_genome(args.artifact, args.items, args.out)
    figures = genome.record["genome"]
    print(f"genome: {figures['genome_parameters']:,} parameters decode the ancestor's "
          f"{figures['decoded_parameters']:,} weights and biases over {figures['layers']} layers: "
          f"{figures['compression']:.1f}x compression")
    ancestor_bits = figures["ancestor_bits"]
    print(f"bits: {genome.bits:,} (32 a generator parameter, and {figures['carried_numbers']:,} numbers carried as "
          f"they are) against the ancestor's {ancestor_bits:,}: {ancestor_bits / genome.bits:.1f}x")
    worst = min(figures["explained_variance"].items(), key=lambda item: item[1])
    print(f"fit: share of each layer's variance the decoded weights reproduce, worst {worst[0]} {worst[1]:.2f}, "
          f"mean {sum(figures['explained_variance'].values()) / figures['layers']:.2f}")
    if figures["action_error"] is not None:
        before, after = figures["action_error"]
        print(f"behaviour: the decoded network's squared action difference from the ancestor's, as a share of their "
              f"variance, {before:.2f} after the regression and {after:.2f} after fitting to behaviour")
    print(f"genome artifact: {path}")
    print(f"a newborn decodes it with: embodied train [CONFIG] prior.name=genome prior.artifact={path}")
    return 0


def _record(trained, path: Path, seconds: float | None = None) -> Path:
    from embodied.video import record_video

    return record_video(trained.cfg, lambda _world: trained.policy(), path, seconds)


def cmd_evaluate(args: argparse.Namespace) -> int:
    import torch

    from embodied.evaluation import Evaluator
    from embodied.trained_agent import load_trained_agent

    trained = load_trained_agent(RunFolder.open(args.run))
    evaluator = Evaluator(trained.cfg)
    torch.manual_seed(trained.cfg.eval.seed)  # the sampled actions too: evaluating a run again gives the same numbers
    try:
        evaluator.calibrate()
        measures = evaluator.measures(trained.policy())
    finally:
        evaluator.close()
    score = measures[evaluator.probe]
    if evaluator.threshold is None:
        verdict = f"competence {NOT_DEFINED}"
    else:
        verdict = f"{'competent' if score >= evaluator.threshold else 'not competent'}: threshold "\
                  f"{evaluator.threshold:.2f}"
    print(f"{args.run} at {trained.env_steps} env steps: {evaluator.probe} {score:.2f} on held-out worlds "
          f"({verdict}; {_yardsticks(evaluator.reference, evaluator.random)})")
    print("measures: " + ", ".join(f"{name} {value:.3g}" for name, value in measures.items()))
    return 0


def cmd_video(args: argparse.Namespace) -> int:
    from embodied.trained_agent import load_trained_agent

    run = RunFolder.open(args.run)
    trained = load_trained_agent(run)
    out = Path(args.out) if args.out else run.videos_dir / f"step_{trained.env_steps}.mp4"
    print(f"video: {_record(trained, out, args.seconds)}")
    return 0


def cmd_experiment(args: argparse.Namespace) -> int:
    from embodied.experiments import run_experiment

    path, overrides = _split(args.items)
    tally = run_experiment(path, overrides, seeds=args.seeds, workers=args.workers, ray_address=args.ray,
                           video=not args.no_video, progress=not args.quiet)
    if tally.finished + tally.skipped:
        _report(tally.path)
    return 1 if tally.crashed else 0


def _report(experiment: Path) -> None:
    from embodied.report.tables import CONDITION_COLUMNS, conditions_table, markdown_table
    from embodied.report.write import write_report

    page, analysis = write_report(experiment)
    print(markdown_table(CONDITION_COLUMNS, conditions_table(analysis)))
    print(f"report: {page}")


def cmd_report(args: argparse.Namespace) -> int:
    _report(Path(args.experiment))
    return 0


def cmd_publish(args: argparse.Namespace) -> int:
    from embodied.report.publish import publish

    print(f"published: {publish(args.experiment, args.out)}")
    return 0


def cmd_findings(args: argparse.Namespace) -> int:
    from embodied.report.findings import readme_is_current, update_readme

    readme, results = Path(args.readme), Path(args.results)
    if args.check:
        if readme_is_current(readme, results):
            return 0
        print(f"{readme}'s findings differ from {results}; run `embodied findings` to rebuild them", file=sys.stderr)
        return 1
    print(f"{readme}: findings {'rebuilt' if update_readme(readme, results) else 'already current'} from {results}")
    return 0


def cmd_envs(args: argparse.Namespace) -> int:
    for entry in envs.entries():
        world = envs.make(entry.name, num_envs=1)
        print(f"{entry.name}  ({entry.gym_id})\n  {entry.description}")
        print(f"  dt: {world.dt} s per step; actions: {world.single_action_space}")
        for sense, space in world.single_observation_space.items():
            print(f"  sense {sense}: {space.dtype} {space.shape}")
        world.close()
    print("richness presets (world.richness; world.ablate switches factors off):")
    for name, preset in PRESETS.items():
        print(f"  {name}: {preset.description}")
    return 0


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="embodied", description=__doc__)
    commands = root.add_subparsers(dest="command", required=True)
    train = commands.add_parser("train", help="train a newborn agent (default: the embedded default config)")
    train.add_argument("items", nargs="*", metavar="[CONFIG] [key=value]",
                       help="a YAML config and/or overrides such as ppo.learning_rate=1e-4")
    train.add_argument("--resume", metavar="RUN", help="continue a killed run from its last checkpoint")
    train.add_argument("--no-video", action="store_true", help="skip the video of the trained agent")
    train.add_argument("--quiet", action="store_true", help="no progress bar")
    train.set_defaults(handler=cmd_train)
    ancestry = commands.add_parser(
        "ancestry", help="pre-train an ancestor over ancestral worlds and save the inheritance artifact")
    ancestry.add_argument("items", nargs="*", metavar="[CONFIG] [key=value]",
                          help="a YAML config and/or overrides such as ancestry.steps=100000 (see `ancestry:` in "
                               "configs/forage.yaml)")
    ancestry.add_argument("--resume", metavar="DIR", help="continue a killed ancestry (its run folder) from its last "
                          "checkpoint")
    ancestry.add_argument("--quiet", action="store_true", help="no progress bar")
    ancestry.set_defaults(handler=cmd_ancestry)
    genome = commands.add_parser(
        "genome", help="fit a genome (a small generator of every weight) to an ancestor's weights artifact")
    genome.add_argument("artifact", metavar="ANCESTOR", help="the ancestor.pt that `embodied ancestry` wrote")
    genome.add_argument("items", nargs="*", metavar="key=value",
                        help="generator options: hidden, depth, steps, batch, learning_rate, seed, "
                             "behaviour_steps, behaviour_batch, behaviour_learning_rate, observations")
    genome.add_argument("--out", help="where to write the genome (default: genome.pt beside ANCESTOR)")
    genome.set_defaults(handler=cmd_genome)
    evaluate = commands.add_parser("evaluate", help="score a run's agent on held-out worlds")
    evaluate.add_argument("run", metavar="RUN")
    evaluate.set_defaults(handler=cmd_evaluate)
    video = commands.add_parser("video", help="MP4 of a run's agent: third-person view beside its eye")
    video.add_argument("run", metavar="RUN")
    video.add_argument("--out", help="output file (default: RUN/videos/step_N.mp4)")
    video.add_argument("--seconds", type=float, help="simulated seconds (default: the run's video.seconds)")
    video.set_defaults(handler=cmd_video)
    experiment = commands.add_parser(
        "experiment", help="run every condition of an experiment over its seeds (finished runs are skipped)")
    experiment.add_argument("items", nargs="*", metavar="[EXPERIMENT] [key=value]",
                            help="an experiment YAML (default: configs/experiments/default.yaml) and/or "
                                 "overrides applied to every run, such as train.total_steps=50000")
    experiment.add_argument("--seeds", type=_seeds, metavar="SEEDS",
                            help="N (seeds 0..N-1) or a list such as [4,7], in place of the file's seeds; finished "
                                 "runs are kept, so --seeds 5 after 3 seeds runs seeds 3 and 4 only")
    experiment.add_argument("--workers", type=int, metavar="N",
                            help="runs at once on this machine, one process each (default: one per core; "
                                 "1: one after another in this process)")
    experiment.add_argument("--ray", metavar="ADDRESS",
                            help="run each (condition, seed) as a Ray task on the cluster at ADDRESS "
                                 "('auto', 'ray://head:10001'); 'local' starts Ray on this machine")
    experiment.add_argument("--no-video", action="store_true", help="skip the video of each trained agent")
    experiment.add_argument("--quiet", action="store_true", help="no progress bar")
    experiment.set_defaults(handler=cmd_experiment)
    report = commands.add_parser("report", help="HTML report of an experiment: table, curves, comparisons, videos")
    report.add_argument("experiment", metavar="EXPERIMENT", help="the experiment's folder (runs/experiments/NAME)")
    report.set_defaults(handler=cmd_report)
    publish = commands.add_parser(
        "publish", help="rewrite an experiment's report and copy its summary and figures to results/NAME/")
    publish.add_argument("experiment", metavar="EXPERIMENT", help="the experiment's folder (runs/experiments/NAME)")
    publish.add_argument("--out", help="where to (default: results/NAME in the repository)")
    publish.set_defaults(handler=cmd_publish)
    findings = commands.add_parser("findings", help="rebuild the README's findings section from results/")
    findings.add_argument("--readme", default=str(REPO / "README.md"), help="the README (default: the repository's)")
    findings.add_argument("--results", default=str(REPO / "results"), help="published results (default: results/)")
    findings.add_argument("--check", action="store_true", help="change nothing; exit 1 if the section is stale")
    findings.set_defaults(handler=cmd_findings)
    listing = commands.add_parser("envs", help="list the registered worlds and their senses")
    listing.set_defaults(handler=cmd_envs)
    return root


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    """Parse as argparse does, but let a command's config and `key=value` items come before and after its flags
    too (`embodied train configs/forage.yaml --no-video seed=1`): argparse stops a positional list at a flag."""
    root = parser()
    args, rest = root.parse_known_args(argv)
    if rest:
        if not hasattr(args, "items") or any(item.startswith("-") for item in rest):
            root.error(f"unrecognized arguments: {' '.join(rest)}")
        args.items = [*args.items, *rest]
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    try:
        return args.handler(args)
    except (ConfigError, RunFolderError, InheritanceError) as error:
        print(f"embodied: error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
