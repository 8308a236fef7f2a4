"""The benchmark's results: one row per scenario, rendered as a table, as Markdown, or across saved runs."""

from __future__ import annotations

import json
import re
import statistics
from dataclasses import asdict, dataclass, field
from pathlib import Path


@dataclass
class Row:
    """One line of the table: a scenario's samples against its limit's samples."""

    group: str
    name: str
    samples: list[float]
    limit_name: str = ""
    limit_samples: list[float] = field(default_factory=list)
    bar: str = ""
    passed: bool | None = None
    ratio: float | None = None
    notes: str = ""
    unit: str = "ms"

    @property
    def median(self) -> float:
        return statistics.median(self.samples) if self.samples else float("nan")

    @property
    def limit_median(self) -> float | None:
        return statistics.median(self.limit_samples) if self.limit_samples else None


@dataclass
class Report:
    rows: list[Row] = field(default_factory=list)
    info: dict = field(default_factory=dict)

    def add(self, row: Row) -> Row:
        self.rows.append(row)
        return row

    def failures(self) -> list[Row]:
        return [row for row in self.rows if row.passed is False]

    def to_json(self) -> str:
        return json.dumps(
            {"info": self.info, "rows": [asdict(row) | {"median": row.median} for row in self.rows]},
            ensure_ascii=False,
            indent=1,
            default=str,
        )


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    if unit == "ms":
        return f"{value * 1000:.1f}"
    if unit == "MB":
        return f"{value:.1f}"
    return f"{value:,.0f}"


def render_table(report: Report) -> str:
    header = (
        "group",
        "scenario",
        "median",
        "min",
        "max",
        "unit",
        "limit",
        "limit med",
        "ratio",
        "bar",
        "result",
        "notes",
    )
    lines = []
    for row in report.rows:
        lines.append(
            (
                row.group,
                row.name,
                _fmt(row.median, row.unit),
                _fmt(min(row.samples), row.unit) if row.samples else "-",
                _fmt(max(row.samples), row.unit) if row.samples else "-",
                row.unit,
                row.limit_name or "-",
                _fmt(row.limit_median, row.unit) if row.limit_samples else "-",
                f"{row.ratio:.2f}x" if row.ratio is not None else "-",
                row.bar or "-",
                {True: "PASS", False: "FAIL", None: "info"}[row.passed],
                row.notes,
            )
        )
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *lines, strict=True)]
    out = [" | ".join(str(cell).ljust(width) for cell, width in zip(header, widths, strict=True))]
    out.append("-+-".join("-" * width for width in widths))
    for line in lines:
        out.append(" | ".join(str(cell).ljust(width) for cell, width in zip(line, widths, strict=True)))
    return "\n".join(out)


def render_markdown(report: Report) -> str:
    out = [
        "| group | scenario | median | min | max | unit | limit | limit median | ratio | bar | result | notes |",
        "|---|---|---:|---:|---:|---|---|---:|---:|---|---|---|",
    ]
    for row in report.rows:
        out.append(
            "| "
            + " | ".join(
                [
                    row.group,
                    row.name,
                    _fmt(row.median, row.unit),
                    _fmt(min(row.samples), row.unit) if row.samples else "-",
                    _fmt(max(row.samples), row.unit) if row.samples else "-",
                    row.unit,
                    row.limit_name or "-",
                    _fmt(row.limit_median, row.unit) if row.limit_samples else "-",
                    f"{row.ratio:.2f}x" if row.ratio is not None else "-",
                    row.bar.replace("|", "\\|") or "-",
                    {True: "PASS", False: "**FAIL**", None: "info"}[row.passed],
                    row.notes.replace("|", "\\|"),
                ]
            )
            + " |"
        )
    return "\n".join(out)


def _generic(name: str) -> str:
    """A scenario's name without the sizes in it, so runs on different corpora line up."""
    return re.sub(r"\s*\((?:[\d,]+ rows|offset [\d,]+, keyset)\)", "", name)


def growth_table(paths: list[str]) -> str:
    """Median of each scenario across saved runs (e.g. 100k, 300k, 1M), side by side."""
    runs = []
    for path in paths:
        data = json.loads(Path(path).read_text())
        runs.append((data["info"].get("statements", 0), {_generic(row["name"]): row for row in data["rows"]}))
    runs.sort(key=lambda run: run[0])
    names = []
    for _size, rows in runs:
        for name in rows:
            if name not in names:
                names.append(name)
    header = "| scenario | " + " | ".join(f"{size:,} statements" for size, _ in runs) + " |"
    out = [header, "|---|" + "---:|" * len(runs)]
    for name in names:
        cells = []
        for _size, rows in runs:
            row = rows.get(name)
            if not row or not row["samples"]:
                cells.append("-")
                continue
            value = _fmt(row["median"], row["unit"]) + (" MB" if row["unit"] == "MB" else " ms")
            if row.get("ratio") is not None:
                value += f" ({row['ratio']:.2f}x)"
            cells.append(value)
        out.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(out)
