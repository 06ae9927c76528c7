"""Write examples/prodev-backend.toml: the demo journal (`nexus demo`) on fixed dates.

The journal comes from nexus_cli.core.demo, seeded, with the programme starting on
2026-09-07, so the shipped file can be checked against it:
    python examples/generate_demo.py            # rewrite the file
    python examples/generate_demo.py --check    # exit 1 if it is out of date
"""

from __future__ import annotations

import sys
from pathlib import Path

from nexus_cli.core.demo import EXAMPLE_START, build
from nexus_cli.core.store import dumps_toml

OUT = Path(__file__).with_name("prodev-backend.toml")


def main() -> int:
    text = dumps_toml(build(EXAMPLE_START))
    if "--check" in sys.argv:
        if OUT.read_text(encoding="utf-8") != text:
            print(f"{OUT} is out of date: run python examples/generate_demo.py", file=sys.stderr)
            return 1
        return 0
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
