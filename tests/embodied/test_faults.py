"""Faults a run must survive or refuse clearly: killed (`kill -9`) while writing a checkpoint or in the middle of a
rollout, broken or foreign or malicious checkpoints and inheritance artifacts, two processes given one run folder,
a disk that is full or a folder that will not be written. A killed run resumes losing at most one checkpoint
interval, with every update's metrics row once; a bad file or folder is an error that says what and how to fix it,
with exit status 2, and nothing in it is executed or half-written.
"""

import errno
import os
import pickle
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import torch

from embodied.cli import main
from embodied.metrics import read_metrics
from embodied.run_folder import RunFolder

SMOKE = str(Path(__file__).resolve().parents[2] / "configs" / "smoke.yaml")
STEP = 2 * 32  # env steps of one update: 2 worlds, rollouts of 32 steps
EVERY = 4 * STEP  # a checkpoint every four updates
TOTAL = 20 * STEP
TRAIN = ["train", SMOKE, f"train.total_steps={TOTAL}", f"train.checkpoint_every={EVERY}",
         f"train.eval_every={10 * STEP}", "eval.num_envs=3", "eval.seconds=2"]
QUIET = ["--quiet", "--no-video"]

# `embodied` with pauses that a test's kill -9 lands in: after a checkpoint's bytes are written but before the file is
# renamed into place, or after the world's Nth step (in the middle of a rollout).
PAUSING = """
import os, sys, time
import torch
import envs

def pause(what):
    print(what, flush=True)
    time.sleep(300)

where, at = os.environ["PAUSE_IN"], int(os.environ["PAUSE_AT"])
save, step, steps = torch.save, envs.World.step, [0]

def save_then_pause(state, file, *args, **kwargs):
    save(state, file, *args, **kwargs)
    file.flush()
    if where == "checkpoint" and isinstance(state, dict) and state.get("ppo", {}).get("env_steps") == at:
        pause("PAUSED")

def step_then_pause(self, actions):
    result = step(self, actions)
    if self.num_envs == 2:
        steps[0] += 1
        if where == "rollout" and steps[0] == at:
            pause("PAUSED")
    return result

torch.save, envs.World.step = save_then_pause, step_then_pause
from embodied.cli import main
sys.exit(main(sys.argv[1:]))
"""


def killed_while(where: str, at: int, run_dir: Path) -> Path:
    """Start a training run that pauses `where` at `at`, kill -9 it there, and return its run folder."""
    process = subprocess.Popen([sys.executable, "-c", PAUSING, *TRAIN, f"run_dir={run_dir}", "name=killed", *QUIET],
                               stdout=subprocess.PIPE, text=True, env={**os.environ, "PAUSE_IN": where,
                                                                       "PAUSE_AT": str(at)})
    try:
        lines = []
        while "PAUSED" not in lines:
            line = process.stdout.readline()
            assert line, f"the run ended before it paused: {lines}"
            lines.append(line.strip())
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.kill()
        process.wait()
        process.stdout.close()
    return run_dir / "killed"


def assert_every_update_logged_once(run: RunFolder) -> None:
    steps = [row["step"] for row in read_metrics(run.metrics_path)]
    assert steps[1:] == [STEP * k for k in range(1, TOTAL // STEP + 1)], "one row per update, none twice or missing"


def test_a_run_killed_while_writing_a_checkpoint_resumes_from_the_one_before(tmp_path):
    run = RunFolder(killed_while("checkpoint", 2 * EVERY, tmp_path))
    assert [path.name for path in run.checkpoints()] == [f"step_{EVERY:012d}.pt"], "the half-written one never landed"
    assert list(run.checkpoints_dir.glob(".*.tmp")), "the kill left the temporary file"
    assert main(["train", "--resume", str(run.path), "--quiet", "--no-video"]) == 0
    assert not list(run.path.rglob(".*.tmp")), "swept away on resume"
    assert_every_update_logged_once(run)
    assert RunFolder(run.path).load_latest()[1] == TOTAL


def test_a_run_killed_in_the_middle_of_a_rollout_loses_at_most_one_checkpoint_interval(tmp_path):
    killed_at = 9 * 32 + 7  # world steps: the 10th rollout, 7 steps in (after 9 updates, 576 env steps)
    run = RunFolder(killed_while("rollout", killed_at, tmp_path))
    resumed_from = RunFolder(run.path).load_latest()[1]
    assert 9 * STEP - EVERY < resumed_from <= 9 * STEP
    assert main(["train", "--resume", str(run.path), "--quiet", "--no-video"]) == 0
    assert_every_update_logged_once(run)


@pytest.fixture(scope="module")
def trained(tmp_path_factory) -> RunFolder:
    """A finished tiny run, and an inheritance artifact made from it."""
    run_dir = tmp_path_factory.mktemp("trained")
    assert main([*TRAIN, f"run_dir={run_dir}", "name=run", *QUIET]) == 0
    return RunFolder(run_dir / "run")


class Malicious:
    """Unpickling this runs `touch` on the path it was made with: a load that executes code leaves the file."""

    def __init__(self, path: Path):
        self.path = path

    def __reduce__(self):
        return os.system, (f"touch {self.path}",)


def bad_files(folder: Path, good: Path, foreign: dict) -> dict[str, Path]:
    """The broken versions of the file `good`, by kind."""
    data = good.read_bytes()
    files = {"truncated": data[: len(data) // 2], "random bytes": os.urandom(len(data))}
    paths = {}
    for kind, content in files.items():
        paths[kind] = folder / f"{kind.replace(' ', '_')}.pt"
        paths[kind].write_bytes(content)
    paths["foreign"] = folder / "foreign.pt"
    torch.save(foreign, paths["foreign"])
    paths["malicious"] = folder / "malicious.pt"
    paths["malicious"].write_bytes(pickle.dumps({"ppo": Malicious(folder / "executed")}, protocol=2))
    return paths


def foreign_state(tmp_path: Path) -> dict:
    """The checkpoint of a run whose agent has other senses (touch alone)."""
    assert main([*TRAIN, f"run_dir={tmp_path}", "name=touch", "world.senses=[touch]", f"train.total_steps={STEP}",
                 f"train.checkpoint_every={STEP}", *QUIET]) == 0
    return RunFolder(tmp_path / "touch").load_latest()[0]


def test_broken_foreign_and_malicious_checkpoints_are_refused_clearly(trained, tmp_path, capsys):
    good = trained.latest_checkpoint()
    for kind, bad in bad_files(tmp_path, good, foreign_state(tmp_path)).items():
        run = RunFolder(tmp_path / f"resumed_{kind.replace(' ', '_')}")
        run.path.mkdir()
        for part in ("config.yaml", "metrics.csv"):
            (run.path / part).write_bytes((trained.path / part).read_bytes())
        run.checkpoints_dir.mkdir()
        (run.checkpoints_dir / good.name).write_bytes(bad.read_bytes())
        capsys.readouterr()
        assert main(["train", "--resume", str(run.path), "--quiet", "--no-video"]) == 2, kind
        error = capsys.readouterr().err
        expected = "does not fit this run's agent" if kind == "foreign" else "no readable checkpoint"
        assert expected in error, (kind, error)
        assert main(["evaluate", str(run.path)]) == 2, kind
    assert not (tmp_path / "executed").exists(), "nothing in a checkpoint is executed"


def test_broken_foreign_and_malicious_inheritance_artifacts_are_refused_clearly(trained, tmp_path, capsys):
    assert main(["ancestry", SMOKE, f"run_dir={tmp_path}", "name=ancestry", f"ancestry.steps={3 * STEP}",
                 "eval.seconds=2", "--quiet"]) == 0  # an update in each of its three seeds' worlds
    artifact = tmp_path / "ancestry" / "ancestor.pt"
    foreign = torch.load(artifact, weights_only=True)
    foreign["signature"] = {**foreign["signature"], "senses": {"touch": [[2], "float32"]}}  # a touch-only ancestor
    for kind, bad in bad_files(tmp_path, artifact, foreign).items():
        capsys.readouterr()
        code = main([*TRAIN, f"run_dir={tmp_path}", f"name=inherit_{kind.replace(' ', '_')}", "prior.name=inherit",
                     f"prior.artifact={bad}", *QUIET])
        error = capsys.readouterr().err
        assert code == 2, (kind, error)
        expected = "was made for another agent" if kind == "foreign" else "is not a readable inheritance artifact"
        assert expected in error, (kind, error)
        assert not (tmp_path / f"inherit_{kind.replace(' ', '_')}").exists(), "refused before a run folder is made"
    assert not (tmp_path / "executed").exists(), "nothing in an artifact is executed"


def test_a_second_process_given_the_same_run_folder_refuses_naming_the_lock(trained, capsys):
    process = subprocess.Popen([sys.executable, "-c", PAUSING, "train", "--resume", str(trained.path),
                                f"train.total_steps={TOTAL + 4 * STEP}", *QUIET],
                               stdout=subprocess.PIPE, text=True, env={**os.environ, "PAUSE_IN": "rollout",
                                                                       "PAUSE_AT": "3"})
    try:
        while process.stdout.readline().strip() != "PAUSED":
            assert process.poll() is None, "the first process ended before it paused"
        assert main(["train", "--resume", str(trained.path), "--quiet", "--no-video"]) == 2
        error = capsys.readouterr().err
        assert f"is in use by process {process.pid}, which holds the lock {trained.path / '.lock'}" in error
    finally:
        process.kill()
        process.wait()
        process.stdout.close()


@pytest.mark.parametrize("failure", [errno.ENOSPC, errno.EROFS], ids=["full disk", "read-only folder"])
def test_a_full_disk_or_a_read_only_folder_stops_the_run_clearly_with_nothing_half_written(tmp_path, monkeypatch,
                                                                                            capsys, failure):
    """The system refuses a checkpoint's write (no space left; a read-only folder refuses the file outright)."""
    mkstemp, save = tempfile.mkstemp, torch.save

    def refuse(*args, **kwargs):
        raise OSError(failure, os.strerror(failure))

    if failure == errno.ENOSPC:
        def save_part_then_refuse(state, file, *args, **kwargs):
            file.write(b"half a checkpoint")
            refuse()
        monkeypatch.setattr(torch, "save", save_part_then_refuse)
    else:
        monkeypatch.setattr(tempfile, "mkstemp", lambda *args, **kwargs: refuse() if "checkpoints" in
                            str(kwargs.get("dir")) else mkstemp(*args, **kwargs))
    assert main([*TRAIN, f"run_dir={tmp_path}", "name=refused", *QUIET]) == 2
    error = capsys.readouterr().err
    assert f"cannot write {tmp_path / 'refused' / 'checkpoints'}" in error and os.strerror(failure) in error
    run = RunFolder(tmp_path / "refused")
    assert not list(run.path.rglob(".*.tmp")) and not run.checkpoints(), "nothing half-written is left"
    assert not run.summary_path.exists()
    monkeypatch.setattr(torch, "save", save)
    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
    assert main(["train", "--resume", str(run.path), "--quiet", "--no-video"]) == 0, "room made: the run goes on"
    assert_every_update_logged_once(run)
