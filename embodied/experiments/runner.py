"""An experiment run end to end: its preparation (files the runs need), then every condition over its seeds, on
this machine's cores or on a Ray cluster. Finished runs are skipped, killed ones resume from their checkpoints,
crashed ones are recorded (and retried by the next invocation) while the others go on. Prints a line per run as it
finishes, a progress bar over runs and a summary; `results.json` is rewritten after every run."""

import os
from collections.abc import Sequence
from contextlib import closing, nullcontext
from dataclasses import dataclass
from pathlib import Path

import yaml
from tqdm import tqdm

from embodied.config import ConfigError
from embodied.experiments.execute import ERROR_FILE, RunJob, RunOutcome, is_done
from embodied.experiments.local_backend import run_locally
from embodied.experiments.prepare import prepare
from embodied.experiments.ray_backend import ray_cluster, run_on_ray
from embodied.experiments.results import EXPERIMENT_FILE, RESULTS_FILE, load_experiment, read_run, write_results
from embodied.experiments.spec import plan_experiment
from embodied.run_folder import atomic_write


@dataclass(frozen=True)
class Tally:
    """What one invocation did; `load_experiment(path)` has every run's status and summary."""

    path: Path
    finished: int
    skipped: int  # finished by an earlier invocation
    crashed: int


def run_experiment(path: str | Path | None, overrides: Sequence[str] = (), *, seeds: int | Sequence[int] | None = None,
                   workers: int | None = None, ray_address: str | None = None, video: bool = True,
                   progress: bool = True) -> Tally:
    """Run the experiment file at `path` (None: the default experiment) with `key.sub=value` overrides applied
    to every run, over `seeds` (a count or a list; None: the file's). Runs go to `workers` local processes
    (default: one per core; 1 runs them in this process), or to Ray tasks when `ray_address` is given. Nothing
    is written unless every run's config is valid."""
    experiment = plan_experiment(path, overrides, seeds)
    workers = (os.cpu_count() or 1) if workers is None else workers
    if workers < 1:
        raise ConfigError(f"--workers must be at least 1, got {workers}")
    jobs = [RunJob(run.condition.label, run.seed, run.cfg, video)
            for run in experiment.runs if not is_done(run.path, video)]
    total, skipped = len(experiment.runs), len(experiment.runs) - len(jobs)
    workers = max(1, min(workers, len(jobs)))
    if jobs:
        prepare(experiment.spec.prepare)
    root, spec = experiment.root, experiment.spec
    with ray_cluster(ray_address) if ray_address else nullcontext():
        root.mkdir(parents=True, exist_ok=True)
        text = (f"# The resolved experiment; `embodied experiment {root / EXPERIMENT_FILE}` runs it again.\n"
                + yaml.safe_dump(spec.model_dump(mode="json"), sort_keys=False))
        atomic_write(root / EXPERIMENT_FILE, lambda f: f.write(text.encode()))
        record = load_experiment(root)
        write_results(record)
        where = (f"as Ray tasks ({ray_address})" if ray_address
                 else "in this process" if workers == 1 else f"in {workers} parallel processes")
        print(f"experiment {spec.name}: {_count(len(experiment.conditions), 'condition')} x "
              f"{_count(len(spec.seeds), 'seed')} = {_count(total, 'run')}; {skipped} finished earlier, "
              f"{len(jobs)} to run {where}\nfolder: {root}", flush=True)
        finished = crashed = 0
        with (closing(run_on_ray(jobs) if ray_address else run_locally(jobs, workers)) as outcomes,
              tqdm(total=total, initial=skipped, unit="run", disable=not progress, dynamic_ncols=True) as bar):
            for outcome in outcomes:
                finished += outcome.status == "finished"
                crashed += outcome.status == "crashed"
                job = outcome.job
                record.conditions[job.label].runs[job.seed] = read_run(job.path, job.seed)
                write_results(record)
                bar.update()
                tqdm.write(_line(outcome, skipped + finished + crashed, total))
    counts = record.counts()
    print(f"experiment {spec.name}: {finished} finished, {skipped} skipped (finished earlier), {crashed} crashed; "
          f"{counts['finished']} of {total} runs are finished")
    if crashed:
        print(f"crashed runs have an {ERROR_FILE} in their folder; run the experiment again to retry them")
    print(f"folder: {root} (every run's status and summary: {RESULTS_FILE})")
    return Tally(root, finished, skipped, crashed)


def _line(outcome: RunOutcome, done: int, total: int) -> str:
    job, wall = outcome.job, f"{outcome.wall_seconds / 60:.1f} min wall"
    head = f"[{done}/{total}] {job.label} seed {job.seed}:"
    if outcome.status == "crashed":
        error = outcome.error.splitlines()[0] if outcome.error else "unknown error"
        return f"{head} crashed ({error}); see {job.path / ERROR_FILE}; {wall}"
    summary = outcome.summary
    ttc = summary["time_to_competence_seconds"]
    reached = (f"competent after {_life(ttc)}" if ttc is not None
               else f"competence not within budget ({_life(summary['life_seconds'])})")
    return f"{head} finished, {reached}; final probe {summary['final_score']:.2f}; {wall}"


def _count(n: int, thing: str) -> str:
    return f"{n} {thing}{'s' * (n != 1)}"


def _life(seconds: float) -> str:
    return f"{seconds / 60:.1f} simulated minutes" if seconds < 3 * 3600 else f"{seconds / 3600:.2f} simulated hours"
