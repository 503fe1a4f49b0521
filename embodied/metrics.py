"""Training curves on disk: a CSV anyone can read and TensorBoard for a live look, both cut back to the
checkpoint when a killed run resumes, so that no step appears twice."""

import csv
import io
import os
from pathlib import Path
from typing import IO

from torch.utils.tensorboard import SummaryWriter

from embodied.run_folder import RunFolder, atomic_write, unwritable


class MetricsLogger:
    """One CSV row per logged step; the header is the union of keys seen so far, in order of appearance."""

    def __init__(self, run: RunFolder, resume_step: int | None = None):
        """A fresh run (`resume_step` None) starts an empty CSV; a resumed one keeps rows to `resume_step`."""
        self.path = run.metrics_path
        self.columns, rows = ["step"], []
        if resume_step is not None and self.path.exists():
            self.columns, rows = _read(self.path)
            rows = [row for row in rows if float(row["step"]) <= resume_step]
        _rewrite(self.path, self.columns, rows)
        self.tb = SummaryWriter(run.tb_dir, purge_step=None if resume_step is None else resume_step + 1)

    def log(self, step: int, values: dict[str, float]) -> None:
        values = {key: float(value) for key, value in values.items()}
        row = {"step": step, **values}
        new = [key for key in row if key not in self.columns]
        if new:  # rare: a key never seen before, so the header grows and the file is rewritten
            self.columns += new
            _rewrite(self.path, self.columns, [*_read(self.path)[1], row])
        else:
            line = io.StringIO()
            _writer(line, self.columns).writerow(row)
            _append(self.path, line.getvalue().encode())
        for key, value in values.items():
            self.tb.add_scalar(key, value, step)

    def close(self) -> None:
        self.tb.close()


def read_metrics(path: str | Path) -> list[dict[str, float]]:
    """Rows of a metrics CSV as numbers; a key not logged at a row's step is absent from that row."""
    return [{key: float(value) for key, value in row.items() if value} for row in _read(Path(path))[1]]


def _read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(newline="") as f:
        reader = csv.DictReader(f)
        rows = list(reader)
        return list(reader.fieldnames or ["step"]), rows


def _rewrite(path: Path, columns: list[str], rows: list[dict]) -> None:
    text = io.StringIO()
    writer = _writer(text, columns)
    writer.writeheader()
    writer.writerows(rows)
    atomic_write(path, lambda f: f.write(text.getvalue().encode()))


def _append(path: Path, data: bytes) -> None:
    """Append `data` whole or not at all: what a write the system refuses part-way (a full disk) left is cut off."""
    fd = os.open(path, os.O_WRONLY | os.O_APPEND)
    try:
        size = os.fstat(fd).st_size
        try:
            written = 0
            while written < len(data):
                written += os.write(fd, data[written:])
        except OSError as error:
            os.ftruncate(fd, size)
            raise unwritable(path, error) from error
    finally:
        os.close(fd)


def _writer(f: IO[str], columns: list[str]) -> csv.DictWriter:
    return csv.DictWriter(f, columns, lineterminator="\n")
