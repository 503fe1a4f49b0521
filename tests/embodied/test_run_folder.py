import json

import pytest
import torch

from embodied.config import RunConfig
from embodied.run_folder import RunFolder, RunFolderError, atomic_write


@pytest.fixture
def run(tmp_path) -> RunFolder:
    return RunFolder.create(RunConfig(run_dir=str(tmp_path), name="r"))


def test_create_lays_out_the_folder_and_writes_the_config(run):
    for folder in (run.tb_dir, run.checkpoints_dir, run.videos_dir, run.plots_dir):
        assert folder.is_dir()
    assert RunFolder.open(run.path).config() == RunConfig(run_dir=str(run.path.parent), name="r")


def test_default_name_comes_from_world_time_and_seed(tmp_path):
    run = RunFolder.create(RunConfig(run_dir=str(tmp_path), seed=3))
    assert run.path.parent == tmp_path
    assert run.path.name.startswith("Forage-") and run.path.name.endswith("-seed3")
    assert run.config().name == run.path.name


def test_create_refuses_to_overwrite_a_run(run):
    with pytest.raises(RunFolderError, match="--resume"):
        RunFolder.create(run.config())


def test_open_explains_what_is_missing(tmp_path):
    with pytest.raises(RunFolderError, match="no run folder"):
        RunFolder.open(tmp_path / "absent")
    with pytest.raises(RunFolderError, match="config.yaml"):
        RunFolder.open(tmp_path)


def test_checkpoints_keep_the_last_three_and_leave_no_temp_files(run):
    assert run.latest_checkpoint() is None and run.load_latest() is None
    for step in (1000, 2000, 3000, 9000, 10000):
        run.save_checkpoint({"w": torch.full((2,), float(step)), "step": step}, step)
    assert [p.name for p in sorted(run.checkpoints_dir.iterdir())] == [
        "step_000000003000.pt", "step_000000009000.pt", "step_000000010000.pt"]
    state, step = run.load_latest()
    assert step == 10000 and state["step"] == 10000 and torch.equal(state["w"], torch.full((2,), 10000.0))


def test_a_failed_write_keeps_the_old_file_and_no_temp_file(tmp_path):
    path = tmp_path / "f"
    path.write_bytes(b"old")

    def crash(f):
        f.write(b"half")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        atomic_write(path, crash)
    assert path.read_bytes() == b"old" and list(tmp_path.iterdir()) == [path]


def test_a_corrupt_newest_checkpoint_falls_back_to_the_previous(run):
    previous = run.save_checkpoint({"step": 1}, 1)
    newest = run.save_checkpoint({"step": 2}, 2)
    newest.write_bytes(b"not a checkpoint")
    with pytest.raises(RunFolderError) as caught:
        run.load_checkpoint(newest)
    assert str(newest) in str(caught.value) and str(previous) in str(caught.value)
    with pytest.warns(UserWarning, match="corrupt checkpoint"):
        assert run.load_latest() == ({"step": 1}, 1)
    previous.write_bytes(b"")
    with pytest.warns(UserWarning), pytest.raises(RunFolderError, match="no readable checkpoint"):
        run.load_latest()


def test_summary_is_json(run):
    run.write_summary({"time_to_competence_s": 123.5, "competent": True})
    assert json.loads(run.summary_path.read_text()) == {"time_to_competence_s": 123.5, "competent": True}
    assert not list(run.path.glob(".*"))
