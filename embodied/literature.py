"""Literature values: when young animals first show the behaviours the testbed's tasks model, from published
observations (`literature.yaml`), for the report to show beside measured times-to-competence, labelled as
literature values. Validated on load, so that a malformed entry is an error naming the entry and the field."""

from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Literal, get_args

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

Task = Literal["forage", "escape", "cliff", "imprint", "locomotion"]
TASKS: tuple[str, ...] = get_args(Task)


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Onset(_Record):
    """Age at which the behaviour was seen, in seconds of life after birth or hatching. Both ends are omitted
    when the source gives no age (e.g. adult animals); `text` always says it in words."""

    low_s: float | None = Field(None, ge=0)
    high_s: float | None = Field(None, ge=0)
    text: str = Field(min_length=1)

    @model_validator(mode="after")
    def _ordered(self) -> "Onset":
        if (self.low_s is None) != (self.high_s is None):
            raise ValueError("give both low_s and high_s, or neither")
        if self.low_s is not None and self.low_s > self.high_s:
            raise ValueError(f"low_s {self.low_s} is above high_s {self.high_s}")
        return self


class Citation(_Record):
    """A published source; fields not known for certain are left out rather than guessed."""

    authors: list[str] = Field(min_length=1)  # "Surname, Initials"
    year: int = Field(ge=1600, le=2100)
    title: str = Field(min_length=1)
    source: str = Field(min_length=1)  # journal, magazine or book
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    doi: str | None = None
    note: str | None = None

    def short(self) -> str:
        """E.g. "Spalding 1873", "Gibson & Walk 1960", "Smith et al. 2020"."""
        surnames = [author.split(",")[0] for author in self.authors]
        names = {1: surnames[0], 2: " & ".join(surnames)}.get(len(surnames), f"{surnames[0]} et al.")
        return f"{names} {self.year}"


class LiteratureOnset(_Record):
    """One behaviour onset in one species, with what exactly was observed and where it was published."""

    task: Task
    species: str = Field(min_length=1)
    behaviour: str = Field(min_length=1)
    onset: Onset
    observed: str = Field(min_length=1)
    citation: Citation


def literature_onsets(task: str | None = None) -> list[LiteratureOnset]:
    """The package's literature values, all of them or those for one task."""
    if task is not None and task not in TASKS:
        raise ValueError(f"unknown task {task!r}; the tasks are {', '.join(TASKS)}")
    return [entry for entry in _packaged() if task is None or entry.task == task]


def read_literature(path: str | Path) -> list[LiteratureOnset]:
    """Validated entries of a literature file (a top-level `onsets:` list)."""
    data = yaml.safe_load(Path(path).read_text())
    if not isinstance(data, dict) or not isinstance(data.get("onsets"), list):
        raise ValueError(f"{path}: expected a top-level 'onsets:' list")
    entries = []
    for i, raw in enumerate(data["onsets"]):
        try:
            entries.append(LiteratureOnset.model_validate(raw))
        except ValidationError as e:
            name = f"{raw.get('species')} / {raw.get('task')}" if isinstance(raw, dict) else "not a mapping"
            problems = "; ".join(f"{'.'.join(map(str, err['loc'])) or 'entry'}: {err['msg']}" for err in e.errors())
            raise ValueError(f"{path}: entry {i} ({name}): {problems}") from None
    return entries


@cache
def _packaged() -> tuple[LiteratureOnset, ...]:
    return tuple(read_literature(Path(str(files("embodied") / "literature.yaml"))))
