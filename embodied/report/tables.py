"""The report's tables as rows of text, shared by the HTML page, the Markdown summary and the terminal."""

from embodied.literature import Citation, LiteratureOnset
from embodied.report.analysis import Analysis
from embodied.statistics import Estimate

CONDITION_COLUMNS = ("condition", "runs", "competent", "time to competence, IQM [95% CI]",
                     "mean probe over life (AUC)", "final probe", "training - held-out")


def estimate(value: Estimate | None, digits: int = 2) -> str:
    if value is None:
        return "-"
    return f"{value.value:.{digits}f} [{value.ci_low:.{digits}f}, {value.ci_high:.{digits}f}]"


def conditions_table(analysis: Analysis) -> list[tuple[str, ...]]:
    """One row per condition; crashed and unfinished runs are counted, never hidden."""
    rows = []
    for result in analysis.conditions:
        planned = len(result.finished) + len(result.crashed) + len(result.unfinished)
        runs = f"{len(result.finished)}/{planned}"
        if result.crashed:
            runs += f", {len(result.crashed)} crashed"
        competence = result.competence
        rows.append((
            result.label,
            runs,
            f"{competence.n_competent}/{competence.n}" if competence else "-",
            competence.label() if competence else "-",
            estimate(result.auc),
            estimate(result.final),
            estimate(result.gap),
        ))
    return rows


COMPETENCE_COMPARISON = "P(row reaches competence sooner than column) [95% CI]"
AUC_COMPARISON = "P(row has the higher mean probe over life than column) [95% CI]"


def improvement_table(matrix: dict[str, dict[str, Estimate]], corner: str) -> tuple[tuple[str, ...],
                                                                                    list[tuple[str, ...]]]:
    """Header and rows of P(row beats column) with its interval for every ordered pair, '-' on the diagonal: the
    interval says whether the seeds can tell the two apart at all (it holds 0.5 when they cannot)."""
    labels = list(matrix)
    return (corner, *labels), [(a, *("-" if a == b else estimate(matrix[a][b]) for b in labels)) for a in labels]


def markdown_table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def citation(source: Citation) -> str:
    """A full reference in one line, with only the fields the literature file gives."""
    parts = [f"{'; '.join(source.authors)} ({source.year}). {source.title}. {source.source}"]
    if source.volume:
        parts.append(f" {source.volume}" + (f"({source.issue})" if source.issue else ""))
    if source.pages:
        parts.append(f", {source.pages}")
    text = "".join(parts) + "."
    if source.doi:
        text += f" doi:{source.doi}"
    return text


LITERATURE_COLUMNS = ("species", "behaviour", "onset (literature)", "observed", "source")


def literature_table(entries: list[LiteratureOnset]) -> list[tuple[str, ...]]:
    return [(e.species, e.behaviour, e.onset.text, e.observed, citation(e.citation)) for e in entries]
