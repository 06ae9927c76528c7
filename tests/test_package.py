"""The package as users get it: built, checked, installed from the wheel alone.

A wheel and an sdist are built once for this module (`python -m build`, then
`twine check --strict`, in a virtual environment of their own) and the wheel is
installed, with its dependencies resolved by pip, into a fresh virtual
environment with no clone in sight. The README's tour, the GitHub Action and
the documented workflow then run as written against it: the only thing that
differs from a user's machine is that pip also finds the local wheel
(PIP_FIND_LINKS), since this version is not on the package index.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

import pytest

from nexus_cli import __version__
from support import ROOT

pytestmark = pytest.mark.slow

BIN = "Scripts" if os.name == "nt" else "bin"


def sh(
    command: list[str] | str, *, cwd: Path | None = None, env: dict[str, str] | None = None, expect: int = 0
):
    result = subprocess.run(
        command,
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        shell=isinstance(command, str),
        executable="/bin/bash" if isinstance(command, str) else None,
    )
    assert result.returncode == expect, f"{command}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


def venv(where: Path) -> Path:
    """Create a virtual environment; return its scripts folder."""
    sh([sys.executable, "-m", "venv", str(where)])
    return where / BIN


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the wheel and sdist with the tools a release uses, and check them."""
    base = tmp_path_factory.mktemp("dist")
    tools = venv(base / "tools")
    sh([str(tools / "python"), "-m", "pip", "install", "-q", "build>=1", "twine>=5"])
    out = base / "out"
    sh([str(tools / "python"), "-m", "build", "--outdir", str(out), str(ROOT)])
    assert len(list(out.glob("*.whl"))) == 1 and len(list(out.glob("*.tar.gz"))) == 1
    check = sh([str(tools / "python"), "-m", "twine", "check", "--strict", *map(str, out.iterdir())])
    assert check.stdout.count("PASSED") == 2, check.stdout
    return out


@pytest.fixture(scope="module")
def user_env(dist: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A fresh environment with nexus installed from the wheel, like `pipx install`; return its env."""
    base = tmp_path_factory.mktemp("user")
    scripts = venv(base / "venv")
    wheel = next(dist.glob("*.whl"))
    sh([str(scripts / "python"), "-m", "pip", "install", "-q", str(wheel)])
    home = base / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEXUS_", "XDG_", "VIRTUAL_ENV"))}
    env.update(
        PATH=f"{scripts}{os.pathsep}{env['PATH']}",
        HOME=str(home),
        NO_COLOR="1",
        COLUMNS="100",
        PIP_FIND_LINKS=f"{os.environ.get('PIP_FIND_LINKS', '')} {dist}".strip(),
    )
    return env


def test_the_wheel_ships_the_package_templates_and_demo_and_no_tests(dist: Path):
    with zipfile.ZipFile(next(dist.glob("*.whl"))) as wheel:
        names = wheel.namelist()
        metadata = wheel.read(f"nexus_journal-{__version__}.dist-info/METADATA").decode()
    assert "nexus_cli/templates/prodev-backend.toml" in names
    assert "nexus_cli/core/demo.py" in names
    assert "nexus_cli/core/store/_lock_windows.py" in names
    assert not [n for n in names if n.startswith(("tests/", "examples/", "bench/", "docs/"))]
    assert "Name: nexus-journal" in metadata
    assert "Requires-Dist: typer" in metadata and "<0." not in metadata  # no upper pin on typer
    # the README is the package index page: no link may depend on the repository beside it
    readme = metadata.split("\n\n", 1)[1]
    assert not re.findall(r"\]\((?!https?://|#)[^)]*\)", readme)
    with tarfile.open(next(dist.glob("*.tar.gz"))) as sdist:
        assert f"nexus_journal-{__version__}/src/nexus_cli/core/demo.py" in sdist.getnames()


def test_installed_from_the_wheel_demo_version_and_validate_work(user_env: dict[str, str], tmp_path: Path):
    assert sh(["nexus", "--version"], env=user_env).stdout.strip() == f"nexus {__version__}"
    demo = sh(["nexus", "demo"], env=user_env, cwd=tmp_path)
    assert "ProDev Backend Engineering" in demo.stdout and "Streak" in demo.stdout
    assert not list(Path(user_env["HOME"]).rglob("journal.toml"))  # the demo wrote nothing
    sh(["nexus", "demo", "--write", "demo.toml"], env=user_env, cwd=tmp_path)
    checked = sh(["nexus", "validate", "demo.toml"], env=user_env, cwd=tmp_path)
    assert "no problems" in checked.stdout + checked.stderr
    sh(["nexus", "-j", "demo.toml", "next"], env=user_env, cwd=tmp_path)


def readme_block(after_heading: str) -> list[str]:
    """Return the command lines of the first ```sh block under a README heading."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split(f"## {after_heading}\n", 1)[1]
    block = section.split("```sh\n", 1)[1].split("```", 1)[0]
    return [line for line in block.splitlines() if line.strip()]


def test_the_readme_tour_works_as_written_after_install(user_env: dict[str, str], tmp_path: Path):
    for line in readme_block("A first journal"):
        sh(line, env=user_env, cwd=tmp_path)
    journal = next(Path(user_env["HOME"]).rglob("journal.toml"))
    assert "rabbitmq-routing" in journal.read_text(encoding="utf-8")
    for heading in ("Install", "Study smarter"):
        for line in readme_block(heading):
            if line.startswith(("pipx ", "uv ")) or "| jq" in line:
                continue  # installs were done by the fixture; jq may be missing
            sh(line, env=user_env, cwd=tmp_path)


def action_steps(text: str, values: dict[str, str]) -> list[tuple[dict[str, str], str]]:
    """Return each `run:` step of action.yml as (env, script), with ${{ ... }} filled from `values`."""

    def fill(value: str) -> str:
        return re.sub(r"\$\{\{\s*([\w.-]+)\s*\}\}", lambda m: values[m.group(1)], value)

    steps: list[tuple[dict[str, str], str]] = []
    env: dict[str, str] = {}
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        indent = len(line) - len(line.lstrip())
        if line.strip().startswith("- "):
            env = {}
        if line.strip() == "env:":
            i += 1
            while i < len(lines) and len(lines[i]) - len(lines[i].lstrip()) > indent:
                key, value = lines[i].strip().split(":", 1)
                env[key] = fill(value.strip())
                i += 1
            continue
        if line.strip() == "run: |":
            i += 1
            body = []
            while i < len(lines) and (
                not lines[i].strip() or len(lines[i]) - len(lines[i].lstrip()) > indent
            ):
                body.append(lines[i][indent + 2 :])
                i += 1
            assert "${{" not in "\n".join(body), (
                "expressions belong in env:, where a shell cannot misread them"
            )
            steps.append((env, "\n".join(body)))
            continue
        i += 1
    return steps


def run_action(user_env: dict[str, str], tmp_path: Path, paths: str, expect: int) -> str:
    """Run action.yml's shell steps as GitHub would, with setup-python's python on PATH."""
    scratch = Path(tempfile.mkdtemp(dir=tmp_path, prefix="runner-"))
    runner = venv(scratch / "python")  # stands in for actions/setup-python
    github_path = scratch / "github_path"
    github_path.write_text("")
    env = {**user_env, "PATH": f"{runner}{os.pathsep}{os.environ['PATH']}"}
    env.update(RUNNER_TEMP=str(scratch / "temp"), GITHUB_PATH=str(github_path))
    Path(env["RUNNER_TEMP"]).mkdir()
    values = {
        "inputs.paths": paths,
        "inputs.args": "",
        "inputs.version": __version__,
        "inputs.from-source": "false",
        "inputs.python-version": "3.12",
        "github.action_path": str(ROOT),
    }
    steps = action_steps((ROOT / "action.yml").read_text(encoding="utf-8"), values)
    assert len(steps) == 2
    output = ""
    for number, (step_env, script) in enumerate(steps):
        added = [p for p in github_path.read_text().splitlines() if p]
        step_path = os.pathsep.join([*reversed(added), env["PATH"]])
        result = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
            cwd=tmp_path,
            env={**env, **step_env, "PATH": step_path},
            capture_output=True,
            text=True,
            timeout=600,
        )
        last = number == len(steps) - 1
        assert result.returncode == (expect if last else 0), result.stdout + result.stderr
        output = result.stdout
    installed = github_path.read_text().split()
    assert installed and Path(installed[0], "nexus").exists()
    return output


def test_the_action_installs_nexus_and_annotates_problems(user_env: dict[str, str], tmp_path: Path):
    journals = tmp_path / "journals"
    journals.mkdir()
    sh(["nexus", "demo", "--write", str(journals / "ana.toml")], env=user_env)
    output = run_action(user_env, tmp_path, "journals/", expect=0)
    assert f"nexus {__version__}" in output
    (journals / "bo.toml").write_text('schema_version = 1\n[[topics]]\nid = "x"\n', encoding="utf-8")
    output = run_action(user_env, tmp_path, "journals/ journals/ana.toml", expect=1)
    assert "::error file=journals/bo.toml,line=2" in output


def test_the_documented_workflow_runs_as_written(user_env: dict[str, str], tmp_path: Path):
    text = (ROOT / "docs" / "validation.md").read_text(encoding="utf-8")
    workflows = re.findall(r"```yaml\n(.*?)```", text, flags=re.S)
    plain = next(w for w in workflows if "- run:" in w)
    runs = [line.split("- run:", 1)[1].strip() for line in plain.splitlines() if "- run:" in line]
    assert runs == ["pip install nexus-journal", "nexus validate --format github journals/"]
    runner = venv(tmp_path / "runner-python")  # actions/setup-python: its pip and python come first
    env = {**user_env, "PATH": f"{runner}{os.pathsep}{os.environ['PATH']}"}
    (tmp_path / "journals").mkdir()
    sh(["nexus", "demo", "--write", str(tmp_path / "journals" / "ana.toml")], env=user_env)
    for line in runs:
        sh(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", line], cwd=tmp_path, env=env)
    assert (runner / "nexus").exists()  # the documented install put it there, from the local wheel
    # and the action's copy-paste workflow names this version's tag
    assert any(f"nexus-journal/nexus@v{__version__}" in w for w in workflows)
