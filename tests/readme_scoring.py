"""Score what the README importer reads against what a person says a README holds.

Used by the corpus test, and runnable on any folder of `NAME.md` + `NAME.toml`
pairs: `python tests/readme_scoring.py tests/data/readmes`.
"""

from __future__ import annotations

import re
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from nexus_cli.core.convert.markdown_import import Readme, decode_readme, parse_readme


def key(name: str) -> str:
    """Return the form two names are compared in: case, punctuation at the ends and spacing ignored."""
    name = re.sub(r"\s*\([^()]*\)$", "", re.sub(r"[*_`]", "", name))  # an aside in brackets is notes
    return " ".join(name.casefold().strip(" .:;!-–—").split())


@dataclass
class Tally:
    found: int = 0  # in the README and read
    missed: list[str] = field(default_factory=list)  # in the README, not read
    extra: list[str] = field(default_factory=list)  # read, but not in the README

    def recall(self) -> float:
        return self.found / ((self.found + len(self.missed)) or 1)

    def precision(self) -> float:
        return self.found / ((self.found + len(self.extra)) or 1)


@dataclass
class Score:
    topics: Tally = field(default_factory=Tally)
    challenges: Tally = field(default_factory=Tally)
    takeaways: Tally = field(default_factory=Tally)
    solutions_kept: int = 0
    solutions_expected: int = 0
    lost_solutions: list[str] = field(default_factory=list)

    def solutions(self) -> float:
        return self.solutions_kept / (self.solutions_expected or 1)


def _compare(tally: Tally, expected: list[str], read: list[str], where: str) -> None:
    wanted = {key(name): name for name in expected}
    got = {key(name): name for name in read}
    tally.found += len(wanted.keys() & got.keys())
    tally.missed += [f"{where}: {wanted[k]}" for k in wanted.keys() - got.keys()]
    tally.extra += [f"{where}: {got[k]}" for k in got.keys() - wanted.keys()]


def score(readme: Readme, expected: dict, where: str, total: Score) -> None:
    """Add one README's figures to `total`."""
    _compare(total.topics, expected.get("topics", []), [t.name for t in readme.topics], where)
    _compare(total.challenges, expected.get("challenges", []), [c.title for c in readme.challenges], where)
    _compare(total.takeaways, expected.get("takeaways", []), [t.title for t in readme.takeaways], where)
    read = {key(c.title): c for c in readme.challenges}
    unsolved = {key(t) for t in expected.get("unsolved", [])}
    for title in expected.get("challenges", []):
        if key(title) in unsolved:
            continue
        total.solutions_expected += 1
        challenge = read.get(key(title))
        if challenge is not None and challenge.solution:
            total.solutions_kept += 1
        else:
            total.lost_solutions.append(f"{where}: {title}")


def score_folder(folder: Path) -> tuple[Score, dict[str, str]]:
    """Score every `*.md` with a `*.toml` beside it; return the figures and the READMEs that failed."""
    total, failures = Score(), {}
    for path in sorted(folder.glob("*.md")):
        answer = path.with_suffix(".toml")
        if not answer.exists():
            continue
        try:
            readme = parse_readme(decode_readme(path.read_bytes(), path.name))
        except Exception as exc:  # a README that cannot be read is a figure too
            failures[path.name] = str(exc)
            continue
        if readme.is_empty():
            failures[path.name] = "nothing read"
        score(readme, tomllib.loads(answer.read_text(encoding="utf-8")), path.stem, total)
    return total, failures


def report(total: Score, failures: dict[str, str]) -> str:
    lines = [
        f"topics      recall {total.topics.recall():.2f}  precision {total.topics.precision():.2f}",
        f"challenges  recall {total.challenges.recall():.2f}  precision {total.challenges.precision():.2f}",
        f"solutions   kept {total.solutions_kept}/{total.solutions_expected} ({total.solutions():.2f})",
        f"takeaways   recall {total.takeaways.recall():.2f}  precision {total.takeaways.precision():.2f}",
        f"unreadable  {len(failures)}",
    ]
    for label, items in [
        ("missed topic", total.topics.missed),
        ("extra topic", total.topics.extra),
        ("missed challenge", total.challenges.missed),
        ("extra challenge", total.challenges.extra),
        ("lost solution", total.lost_solutions),
        ("missed takeaway", total.takeaways.missed),
        ("extra takeaway", total.takeaways.extra),
    ]:
        lines += [f"  {label}: {item}" for item in items]
    lines += [f"  unreadable: {name}: {why}" for name, why in failures.items()]
    return "\n".join(lines)


if __name__ == "__main__":
    print(report(*score_folder(Path(sys.argv[1]))))
