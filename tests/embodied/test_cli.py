"""The `embodied` command end to end on a tiny budget: train, evaluate, video, envs, bad input, resume."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import imageio.v3 as iio
import pytest

from embodied.cli import main, parse
from embodied.metrics import read_metrics
from embodied.provenance import code_version

ROOT = Path(__file__).resolve().parents[2]
SMOKE = str(ROOT / "configs" / "smoke.yaml")


def test_train_then_evaluate_and_video(tmp_path, capsys):
    assert main(["train", SMOKE, f"run_dir={tmp_path}", "name=smoke", "--quiet"]) == 0
    out = capsys.readouterr().out
    run = tmp_path / "smoke"
    assert "time to competence" in out or "was not reached within the budget" in out
    for path in ("config.yaml", "metrics.csv", "summary.json", "plots/learning_curve.png", "videos/trained.mp4"):
        assert (run / path).is_file() and (run / path).stat().st_size > 0, path
    assert list((run / "tb").iterdir()), "TensorBoard events are written"
    assert list((run / "checkpoints").glob("*.pt"))
    summary = json.loads((run / "summary.json").read_text())
    assert summary["env_steps"] >= 2000 and summary["reference_score"] > summary["random_score"]
    assert summary["code"] == code_version()  # the commit the numbers came from, for published results
    probe = [row for row in read_metrics(run / "metrics.csv") if "probe/food_per_minute" in row]
    assert probe[0]["step"] == 0 and probe[-1]["step"] >= 2000

    assert main(["evaluate", str(run)]) == 0
    out = capsys.readouterr().out
    assert "probe/food_per_minute" in out and "measures: probe/food_per_minute " in out
    assert main(["evaluate", str(run)]) == 0
    assert capsys.readouterr().out == out, "evaluating again gives the same numbers"
    assert main(["video", str(run), "--out", str(tmp_path / "clip.mp4"), "--seconds", "1"]) == 0
    frame = iio.imread(tmp_path / "clip.mp4", index=0)
    assert frame.shape == (256, 256 + 256 + 384, 3), "third-person view beside the eye and the other senses"


def test_envs_lists_worlds_and_senses(capsys):
    assert main(["envs"]) == 0
    out = capsys.readouterr().out
    assert "Forage" in out and "embodied/Forage-v0" in out and "sense vision" in out and "sense smell" in out
    assert "impoverished: vision only" in out and "rich: every factor" in out


@pytest.mark.parametrize("argument, message", [
    ("ppo.learnin_rate=0.1", "did you mean 'ppo.learning_rate'"),
    ("world.num_envs=many", "world.num_envs"),
    ("world.name=Forrage", "valid worlds: Cliff, Escape, Forage, Graze, Imprint"),
    ("prior.name=cpg", "prior.name=cpg in world Forage: the cpg prior drives the quadruped"),
    ("prior.name=reflex prior.step_seconds=0.02", "set prior.step_seconds=0.05"),
    ("aux.cross_modal=1 world.richness=impoverished", "only ['vision']: set aux.cross_modal=0"),
    ("aux.temporal_contrast=1 aux.contrast_steps=65", "aux.temporal_contrast pairs observations 65 steps apart, but "
     "a rollout holds 64 steps"),
    ("world.senses=[smel]", "'smel': Input should be 'vision', 'touch', 'proprioception', 'vestibular', 'smell'"),
    ("missing.yaml", "missing.yaml"),
])
def test_bad_config_is_an_error_and_leaves_no_run_folder(tmp_path, capsys, argument, message):
    assert main(["train", *argument.split(), f"run_dir={tmp_path}", "--quiet"]) == 2
    assert message in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


def test_same_config_and_seed_give_the_same_curve(tmp_path):
    for name in ("a", "b"):
        assert main(["train", SMOKE, f"run_dir={tmp_path}", f"name={name}", "--quiet", "--no-video"]) == 0
    curves = [[(row["step"], row.get("probe/food_per_minute"), row.get("loss/value"))
               for row in read_metrics(tmp_path / name / "metrics.csv")] for name in ("a", "b")]
    assert curves[0] == curves[1]


def test_a_checkpoint_that_does_not_fit_the_resumed_agent_is_a_clear_error(tmp_path, capsys):
    assert main(["train", SMOKE, f"run_dir={tmp_path}", "name=small", "train.total_steps=64", "--quiet",
                 "--no-video"]) == 0
    capsys.readouterr()
    assert main(["train", "--resume", str(tmp_path / "small"), "agent.latent=32", "--quiet", "--no-video"]) == 2
    err = capsys.readouterr().err
    assert "does not fit this run's agent and learner" in err and "start a new run" in err, err


def test_killed_run_resumes_from_its_last_checkpoint(tmp_path):
    run = tmp_path / "killed"
    command = [sys.executable, "-m", "embodied.cli", "train", SMOKE, f"run_dir={tmp_path}", "name=killed",
               "train.total_steps=6000", "--quiet", "--no-video"]
    process = subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               env={**os.environ, "PYTHONPATH": str(ROOT)})
    deadline = time.time() + 240
    while not list((run / "checkpoints").glob("*.pt")) and time.time() < deadline and process.poll() is None:
        time.sleep(0.2)
    assert process.poll() is None, f"the run ended before it could be killed: {process.stderr.read().decode()}"
    process.send_signal(signal.SIGKILL)
    process.wait()
    killed_at = max(int(p.stem.split("_")[1]) for p in (run / "checkpoints").glob("*.pt"))
    assert killed_at < 6000

    assert main(["train", "--resume", str(run), "--quiet", "--no-video"]) == 0
    steps = [row["step"] for row in read_metrics(run / "metrics.csv")]
    assert steps == sorted(steps) and len(steps) == len(set(steps)), "no step is logged twice after resuming"
    assert steps[-1] >= 6000
    assert json.loads((run / "summary.json").read_text())["env_steps"] >= 6000


def test_overrides_may_follow_the_flags():
    args = parse(["train", "configs/forage.yaml", "--no-video", "seed=1", "world.num_envs=2"])
    assert args.no_video and args.items == ["configs/forage.yaml", "seed=1", "world.num_envs=2"]


@pytest.mark.parametrize("argv", [["evaluate", "runs/x", "seed=1"], ["train", "--no-video", "seed=1", "--nope"]])
def test_stray_arguments_are_still_an_error(argv, capsys):
    with pytest.raises(SystemExit):
        parse(argv)
    assert "unrecognized arguments" in capsys.readouterr().err
