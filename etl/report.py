"""What happened while reading a layer, in a form a person can read."""

from dataclasses import asdict, dataclass, field

# Long lists are cut in summaries; the full lists stay in the report itself.
_MAX_LINES_PER_LIST = 50

_LABELS = {
    "en": {
        "read": "Read {n} features: {repaired} repaired, {rejected} rejected, {problems} problems.",
        "repaired": "Repaired {pcode}: {reason}",
        "rejected": "Rejected {pcode}: {reason}",
        "problem": "Problem ({check}) {pcode}: {detail}",
        "more": "... and {n} more.",
        "none": "(no P-code)",
    },
    "fr": {
        "read": "{n} entités lues : {repaired} réparées, {rejected} rejetées, {problems} problèmes.",
        "repaired": "Réparée {pcode} : {reason}",
        "rejected": "Rejetée {pcode} : {reason}",
        "problem": "Problème ({check}) {pcode} : {detail}",
        "more": "… et {n} de plus.",
        "none": "(sans P-code)",
    },
}


@dataclass
class LayerReport:
    """Counts and lists describing one layer read.

    ``repaired`` and ``rejected`` are lists of ``{"pcode", "reason"}``; ``problems`` is a
    list of ``{"check", "pcode", "detail"}`` as returned by ``etl.checks.check_layer``
    (readers leave it empty: the caller adds the checks it runs).
    """

    read: int = 0
    repaired: list[dict] = field(default_factory=list)
    rejected: list[dict] = field(default_factory=list)
    problems: list[dict] = field(default_factory=list)

    def summary_lines(self, lang: str = "en") -> list[str]:
        """Readable lines: one count line, then one line per repair, rejection, problem."""
        labels = _LABELS["fr" if lang == "fr" else "en"]
        lines = [
            labels["read"].format(
                n=self.read, repaired=len(self.repaired), rejected=len(self.rejected), problems=len(self.problems)
            )
        ]
        for key, items in (("repaired", self.repaired), ("rejected", self.rejected), ("problem", self.problems)):
            for item in items[:_MAX_LINES_PER_LIST]:
                values = {**item, "pcode": item.get("pcode") or labels["none"]}
                lines.append(labels[key].format(**values))
            if len(items) > _MAX_LINES_PER_LIST:
                lines.append(labels["more"].format(n=len(items) - _MAX_LINES_PER_LIST))
        return lines

    def as_dict(self) -> dict:
        """A JSON-serialisable copy (for storing the report with an import run)."""
        return asdict(self)
