import pytest

from embodied.config import RunConfig
from embodied.metrics import MetricsLogger, read_metrics
from embodied.run_folder import RunFolder


@pytest.fixture
def run(tmp_path) -> RunFolder:
    return RunFolder.create(RunConfig(run_dir=str(tmp_path), name="r"))


def test_columns_grow_as_new_keys_appear(run):
    logger = MetricsLogger(run)
    logger.log(0, {"loss": 1.0})
    logger.log(10, {"loss": 0.5, "probe/food_per_minute": 2.0})
    logger.log(20, {"loss": 0.25})
    logger.close()
    assert run.metrics_path.read_text().splitlines()[0] == "step,loss,probe/food_per_minute"
    assert read_metrics(run.metrics_path) == [
        {"step": 0, "loss": 1.0}, {"step": 10, "loss": 0.5, "probe/food_per_minute": 2.0},
        {"step": 20, "loss": 0.25}]
    assert list(run.tb_dir.glob("events.out.tfevents.*"))


def test_resume_drops_rows_after_the_checkpoint(run):
    logger = MetricsLogger(run)
    for step in range(0, 50, 10):
        logger.log(step, {"loss": float(step), **({"late": 1.0} if step == 40 else {})})
    logger.close()
    logger = MetricsLogger(run, resume_step=20)
    logger.log(30, {"loss": -1.0})
    logger.close()
    rows = read_metrics(run.metrics_path)
    assert [row["step"] for row in rows] == [0, 10, 20, 30] and rows[-1]["loss"] == -1.0
    assert len(list(run.tb_dir.glob("events.out.tfevents.*"))) == 2


def test_a_fresh_logger_starts_an_empty_file(run):
    MetricsLogger(run).log(0, {"loss": 1.0})
    MetricsLogger(run).close()
    assert read_metrics(run.metrics_path) == []
