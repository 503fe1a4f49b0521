"""The literature values load, validate and filter; a malformed file names the entry and the field."""

from importlib.resources import files

import pytest

from embodied.literature import TASKS, Citation, literature_onsets, read_literature


def test_the_file_is_marked_as_literature_values():
    assert (files("embodied") / "literature.yaml").read_text().startswith("# LITERATURE VALUES")


def test_every_entry_is_complete_and_ordered():
    entries = literature_onsets()
    assert entries
    for entry in entries:
        assert entry.task in TASKS
        assert entry.citation.authors and entry.citation.title and entry.citation.source
        assert 1800 < entry.citation.year <= 2100
        if entry.onset.low_s is not None:
            assert 0 <= entry.onset.low_s <= entry.onset.high_s


def test_every_task_has_a_literature_value():
    assert {entry.task for entry in literature_onsets()} == set(TASKS)


def test_filtering_by_task():
    for task in TASKS:
        assert all(entry.task == task for entry in literature_onsets(task))
    assert sum(len(literature_onsets(task)) for task in TASKS) == len(literature_onsets())
    assert {entry.citation.short() for entry in literature_onsets("cliff")} == {"Gibson & Walk 1960"}
    with pytest.raises(ValueError, match="unknown task 'swim'"):
        literature_onsets("swim")


def test_short_citation():
    one = Citation(authors=["Spalding, D. A."], year=1873, title="t", source="s")
    many = Citation(authors=["A, B.", "C, D.", "E, F."], year=2000, title="t", source="s")
    assert (one.short(), many.short()) == ("Spalding 1873", "A et al. 2000")


GOOD = """
  - task: forage
    species: chick
    behaviour: pecks
    onset: {low_s: 10, high_s: 20, text: soon}
    observed: it pecked
    citation: {authors: ["X, Y."], year: 1900, title: T, source: S}
"""


def test_a_well_formed_file_loads(tmp_path):
    path = tmp_path / "literature.yaml"
    path.write_text("onsets:" + GOOD)
    [entry] = read_literature(path)
    assert (entry.task, entry.onset.low_s, entry.citation.short()) == ("forage", 10, "X 1900")


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (("low_s: 10", "low_s: 30"), "onset: Value error, low_s 30.0 is above high_s 20.0"),
        (("task: forage", "task: swim"), "task: Input should be"),
        (('    citation: {authors: ["X, Y."], year: 1900, title: T, source: S}\n', ""), "citation: Field required"),
        (("title: T, ", ""), "citation.title: Field required"),
        (("species: chick", "species: chick\n    colour: red"), "colour: Extra inputs are not permitted"),
    ],
)
def test_a_malformed_entry_names_the_entry_and_the_field(tmp_path, change, named):
    path = tmp_path / "literature.yaml"
    path.write_text("onsets:" + GOOD + GOOD.replace(*change))
    with pytest.raises(ValueError) as error:
        read_literature(path)
    assert "entry 1 (chick / " in str(error.value) and named in str(error.value)


def test_a_file_without_an_onsets_list_is_an_error(tmp_path):
    path = tmp_path / "literature.yaml"
    path.write_text("- task: forage\n")
    with pytest.raises(ValueError, match="top-level 'onsets:' list"):
        read_literature(path)
