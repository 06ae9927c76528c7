"""Git as the engine for syncing a journal: the merge driver's file work and `nexus sync`.

Git runs as a subprocess. Nothing here prints: results come back as values and
failures as NexusError with one line and a hint.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import shutil
import stat
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from nexus_cli.core import store
from nexus_cli.core.errors import EXIT_CHECK_FAILED, InputError, JournalError, NexusError
from nexus_cli.core.models import SCHEMA_VERSION, Journal
from nexus_cli.core.sync import merge

DRIVER_NAME = "nexus"
DRIVER_LABEL = "nexus journal merge"
COMMIT_MESSAGE = "nexus: journal update"
GIT_TIMEOUT = 300
NEW_JOURNAL_MODE = 0o600  # as nexus creates a journal, whatever the umask


class GitError(NexusError):
    """Git failed or is missing."""


# --- the merge driver ------------------------------------------------------------


@dataclass
class DriverOutcome:
    """What `nexus merge-driver` did: merged cleanly, with conflicts, or fell back to git."""

    conflicts: list[merge.Conflict] = field(default_factory=list)
    fallback: str | None = None  # why the journal merge was declined
    fallback_clean: bool = False

    @property
    def exit_code(self) -> int:
        if self.fallback is not None:
            return 0 if self.fallback_clean else EXIT_CHECK_FAILED
        return EXIT_CHECK_FAILED if self.conflicts else 0


def sniff_format(text: str) -> store.Format:
    """Return JSON if a text starts with `{`, else TOML."""
    return "json" if text.lstrip()[:1] == "{" else "toml"


def _read(path: Path, label: str) -> str:
    """Return a version's text; a FIFO or device is refused (InputError), never read."""
    try:
        raw = store.read_input(path)
    except InputError as exc:
        if "not a plain file" in exc.message:
            raise
        raise JournalError(exc.message) from None
    return store.decode(raw, label)


@dataclass
class TextMerge:
    """Three journal texts merged: the result's text, or why they could not be merged."""

    text: str = ""
    result: merge.MergeResult | None = None
    ours: Journal | None = None
    fallback: str | None = None  # why the journal merge was declined


def merge_texts(base: str, ours: str, theirs: str, fmt: store.Format | None = None) -> TextMerge:
    """Merge three journal texts entry by entry (base may be empty: no common ancestor)."""
    try:
        fmt = fmt or sniff_format(ours)
        has_base = bool(base.strip())
        labels = ["base", "ours", "theirs"] if has_base else ["ours", "theirs"]
        loaded = store.load_journals([base, ours, theirs] if has_base else [ours, theirs], fmt, labels)
        for journal, label in zip(loaded, labels, strict=True):
            if journal.schema_version > SCHEMA_VERSION:
                raise JournalError(f"{label} was written by a newer nexus (schema {journal.schema_version})")
    except JournalError as exc:
        return TextMerge(fallback=exc.message)
    result = merge.merge(loaded[0] if has_base else None, loaded[-2], loaded[-1])
    # A combination that `validate` would reject is a conflict too.
    result.conflicts += merge.check_result(result, loaded[-2], loaded[-1], fmt)
    return TextMerge(merge.render(result, fmt), result, loaded[-2])


def merge_files(base: Path, ours: Path, theirs: Path, fmt: store.Format | None = None) -> DriverOutcome:
    """Merge three journal files as git's merge driver; the result replaces `ours`.

    When a side cannot be read as a journal, the journal merge is declined and
    git's own line merge (`git merge-file`) does the work instead, as it would
    without the driver. `ours` is only ever replaced by one atomic rename.
    """
    try:
        texts = [_read(path, label) for path, label in ((base, "base"), (ours, "ours"), (theirs, "theirs"))]
    except JournalError as exc:
        return DriverOutcome(fallback=exc.message, fallback_clean=_merge_file(base, ours, theirs))
    merged = merge_texts(texts[0], texts[1], texts[2], fmt)
    if merged.result is None:
        return DriverOutcome(fallback=merged.fallback, fallback_clean=_merge_file(base, ours, theirs))
    # No backup: git keeps every version, and a stray .bak would land in the worktree.
    store.atomic_write(ours, merged.text.encode("utf-8"), backup=False)
    return DriverOutcome(conflicts=merged.result.conflicts)


def _merge_file(base: Path, ours: Path, theirs: Path) -> bool:
    """Run git's line merge on the three files; return whether it merged cleanly."""
    try:
        done = subprocess.run(
            [
                "git",
                "merge-file",
                "-L",
                "ours",
                "-L",
                "base",
                "-L",
                "theirs",
                str(ours),
                str(base),
                str(theirs),
            ],
            capture_output=True,
            timeout=GIT_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return False  # ours is left as it was; git reports a conflict
    return done.returncode == 0


# --- running git -------------------------------------------------------------------


def git(args: list[str], cwd: Path, *, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run git in `cwd`; raise GitError with git's own last line when it fails."""
    env = {**os.environ, "LC_ALL": "C", "GIT_TERMINAL_PROMPT": "0"}
    try:
        done = subprocess.run(
            ["git", *args],
            cwd=cwd,
            capture_output=True,
            text=True,
            env=env,
            timeout=GIT_TIMEOUT,
            check=False,
        )
    except FileNotFoundError:
        raise GitError("git is not installed", hint="install git, then run the command again") from None
    except subprocess.TimeoutExpired:
        raise GitError(f"git {args[0]} took longer than {GIT_TIMEOUT}s", hint="check the network") from None
    if check and done.returncode != 0:
        text = (done.stderr + done.stdout).lower()
        if "tell me who you are" in text or "auto-detect email" in text or "empty ident" in text:
            raise GitError(
                "git does not know who you are, so it cannot commit the journal",
                hint='set user.email: git config --global user.email "you@example.com" (and user.name)',
            )
        raise GitError(f"git {args[0]} failed: {_last_line(done)}", hint=_hint_for(args[0], done))
    return done


def _last_line(done: subprocess.CompletedProcess[str]) -> str:
    lines = [line.strip() for line in (done.stderr + "\n" + done.stdout).splitlines() if line.strip()]
    useful = [line for line in lines if line.startswith(("fatal:", "error:"))] or lines
    return useful[0].removeprefix("fatal: ").removeprefix("error: ") if useful else "no message"


def _hint_for(command: str, done: subprocess.CompletedProcess[str]) -> str:
    text = (done.stderr + done.stdout).lower()
    if "could not read from remote" in text or "unable to access" in text:
        return "check the remote's address and your network or credentials (`git remote -v`)"
    if command == "push" and ("rejected" in text or "fetch first" in text):
        return "someone pushed first: run `nexus sync` again to merge their work"
    if "not a git repository" in text:
        return "put the journal in a git repository first (`git init` in its folder)"
    return f"run `git {command}` yourself to see the whole message"


def repo_root(path: Path) -> Path:
    """Return the top of the git work tree that holds `path`."""
    folder = store.real_path(path).parent
    if not folder.is_dir():
        raise JournalError(f"no folder {folder}", hint="create the journal with `nexus init` first")
    done = git(["rev-parse", "--show-toplevel"], folder, check=False)
    if done.returncode != 0:
        raise GitError(
            f"{folder} is not in a git repository",
            hint=f"run `git init` in {folder} (or clone your journal's repository), then `nexus sync setup`",
        )
    return Path(done.stdout.strip())


# --- nexus sync setup ----------------------------------------------------------------


def driver_command(program: Sequence[str] = ("nexus",)) -> str:
    """Return the command git runs to merge journals."""
    return " ".join(shlex.quote(part) for part in program) + " merge-driver %O %A %B %P"


def nexus_program(*, absolute: bool = False) -> list[str]:
    """Return how git should call nexus.

    By name when the shell finds this same nexus on PATH (the config then keeps
    working after nexus is upgraded or moved); otherwise, or with `absolute`, by
    its full path; failing that, as `python -m nexus_cli`.
    """
    argv0 = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    this = argv0.resolve() if argv0 is not None and argv0.name == "nexus" and argv0.exists() else None
    found = shutil.which("nexus")
    if not absolute and found and (this is None or Path(found).resolve() == this):
        return ["nexus"]
    if this is not None:
        return [str(this)]
    if found:
        return [str(Path(found).absolute())]
    return [sys.executable, "-m", "nexus_cli"]


@dataclass
class SetupReport:
    """What `nexus sync setup` changed ([] when it was already set up)."""

    root: Path
    pattern: str
    changes: list[str] = field(default_factory=list)


def setup(journal: Path, program: Sequence[str] = ("nexus",)) -> SetupReport:
    """Make the journal's repository merge it with nexus; running it twice changes nothing."""
    root = repo_root(journal)
    target = store.real_path(journal)
    pattern = "/" + target.relative_to(store.real_path(root)).as_posix()
    report = SetupReport(root=root, pattern=pattern)
    line = f"{attribute_pattern(pattern)} merge={DRIVER_NAME}"
    attributes = root / ".gitattributes"
    # Earlier versions wrote `[ ]` for a space, which git splits into two words.
    _drop_line(attributes, f"{_old_escape(pattern)} merge={DRIVER_NAME}", line)
    _add_line(attributes, line, report)
    # The backup, lock and temporary files beside the journal stay out of git.
    parent = pattern.rsplit("/", 1)[0]
    exclude = Path(root, git(["rev-parse", "--git-path", "info/exclude"], root).stdout.strip())
    _add_line(exclude, ignore_pattern(f"{parent}/.{target.name}.") + "*", report)
    wanted = {
        f"merge.{DRIVER_NAME}.name": DRIVER_LABEL,
        f"merge.{DRIVER_NAME}.driver": driver_command(program),
    }
    for key, value in wanted.items():
        now = git(["config", "--local", "--get", key], root, check=False).stdout.strip()
        if now != value:
            git(["config", "--local", key, value], root)
            report.changes.append(f"git config {key} = {value}")
    return report


def _add_line(path: Path, line: str, report: SetupReport) -> None:
    """Append a line to a text file unless it is already there."""
    try:
        current = path.read_text(encoding="utf-8") if path.exists() else ""
    except (OSError, UnicodeDecodeError) as exc:
        raise JournalError(f"cannot read {path}: {exc}") from None
    if line in current.splitlines():
        return
    store.ensure_folder(path.parent)
    text = current + ("" if not current or current.endswith("\n") else "\n") + line + "\n"
    store.atomic_write(path, text.encode("utf-8"), backup=False)
    report.changes.append(f"{path.name}: {line}")


def _glob_escape(path: str) -> str:
    """Escape the characters git's patterns read as wildcards, so a path matches only itself."""
    return "".join("\\" + c if c in "\\*?[" else c for c in path)


def attribute_pattern(path: str) -> str:
    """Return a .gitattributes pattern that matches exactly `path`.

    git splits an attribute line on whitespace before it reads the pattern, so a
    path with a space (or a quote) goes in double quotes, C-style escaped, as
    gitattributes(5) allows.
    """
    pattern = _glob_escape(path)
    if not any(c.isspace() or c == '"' for c in pattern):
        return pattern
    quoted = pattern.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\n", "\\n")
    return f'"{quoted}"'


def ignore_pattern(path: str) -> str:
    """Return a gitignore pattern for exactly `path` (a literal prefix; append any wildcard)."""
    pattern = _glob_escape(path)
    if pattern.endswith(" "):
        pattern = pattern[:-1] + "\\ "  # git drops trailing spaces unless escaped
    return pattern


def _old_escape(pattern: str) -> str:
    return "".join("[ ]" if c == " " else c for c in pattern)


def _drop_line(path: Path, old: str, new: str) -> None:
    """Remove a line nexus wrote before, when it is not the one it writes now."""
    if old == new or not path.exists():
        return
    try:
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    except (OSError, UnicodeDecodeError):
        return
    kept = [line for line in lines if line.rstrip("\r\n") != old]
    if len(kept) != len(lines):
        store.atomic_write(path, "".join(kept).encode("utf-8"), backup=False)


def is_set_up(root: Path) -> bool:
    """Return whether the repository has the nexus merge driver configured."""
    done = git(["config", "--get", f"merge.{DRIVER_NAME}.driver"], root, check=False)
    return done.returncode == 0 and bool(done.stdout.strip())


# --- nexus sync ----------------------------------------------------------------------


@dataclass
class SyncReport:
    """What one `nexus sync` did, step by step."""

    root: Path
    committed: bool = False
    pulled: str = ""  # "", "up to date", "merged", "no upstream"
    pushed: str = ""  # "", "pushed", "nothing to push", "no remote"
    conflicted: list[str] = field(default_factory=list)
    steps: list[str] = field(default_factory=list)
    driver_skipped: str = ""  # why git did not run the merge driver, when nexus merged in its place


def unmerged_paths(root: Path) -> list[str]:
    """Return the files git holds as conflicted."""
    done = git(["diff", "--name-only", "--diff-filter=U"], root, check=False)
    return [line for line in done.stdout.splitlines() if line]


def _merge_in_progress(root: Path) -> bool:
    done = git(["rev-parse", "-q", "--verify", "MERGE_HEAD"], root, check=False)
    return done.returncode == 0


def _upstream(root: Path) -> str | None:
    done = git(["rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{upstream}"], root, check=False)
    return done.stdout.strip() if done.returncode == 0 else None


def _has_commits(root: Path) -> bool:
    return git(["rev-parse", "-q", "--verify", "HEAD"], root, check=False).returncode == 0


def sync(journal: Path) -> SyncReport:
    """Commit the journal if it changed, pull with merge, push if there is a remote.

    It holds the journal's lock throughout, so other nexus commands wait for it.
    git writes the files it pulls with the umask's mode (0644): the journal
    gets back the mode it had, or 0600 when it arrived with this sync.
    """
    path = store.real_path(journal)
    try:
        mode: int | None = stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        mode = None
    # Under the journal's lock, like every other write: a `nexus log` run meanwhile
    # waits for the pull to land instead of being written over by it.
    lock = store.locked(journal) if path.parent.is_dir() else contextlib.nullcontext()
    try:
        with lock:
            return _sync(journal)
    finally:
        _restore_mode(path, mode)


def _restore_mode(path: Path, mode: int | None) -> None:
    try:
        now = os.stat(path)
    except OSError:
        return
    wanted = mode if mode is not None else NEW_JOURNAL_MODE
    if stat.S_ISREG(now.st_mode) and stat.S_IMODE(now.st_mode) != wanted:
        with contextlib.suppress(OSError):
            os.chmod(path, wanted)


def _sync(journal: Path) -> SyncReport:
    root = repo_root(journal)
    report = SyncReport(root=root)
    rel = Path(os.path.relpath(store.real_path(journal), store.real_path(root))).as_posix()
    report.conflicted = unmerged_paths(root)
    if report.conflicted:
        _merge_unmerged_journal(root, journal, rel, report)
    if report.conflicted:
        return report
    _refuse_markers(journal, rel)
    upstream = _upstream(root) or _adopt_remote_branch(root, journal, rel, report)
    if report.conflicted:
        return report
    if _merge_in_progress(root):
        # The user resolved a conflict and added the file: finish that merge, unless
        # the file is this side alone because git never ran the merge driver.
        git(["add", "--", rel], root)
        base = git(["merge-base", "HEAD", "MERGE_HEAD"], root, check=False).stdout.strip()
        specs = (f"{base}:{rel}" if base else "", f"HEAD:{rel}", f"MERGE_HEAD:{rel}")
        _merge_in_place_of_driver(root, journal, rel, specs, report)
        if report.conflicted:
            return report
        git(["commit", "--no-edit", "--quiet"], root)
        report.steps.append("finished the merge")
    elif store.real_path(journal).exists():
        # .gitattributes goes along, so every clone merges the journal the same way.
        paths = [rel, *([".gitattributes"] if (root / ".gitattributes").exists() else [])]
        git(["add", "--", *paths], root)
        staged = git(["diff", "--cached", "--quiet", "--", *paths], root, check=False).returncode != 0
        if staged:
            git(["commit", "--quiet", "-m", COMMIT_MESSAGE, "--", *paths], root)
            report.committed = True
    if upstream is None:
        remote = _remote(root)
        if remote is None or not _has_commits(root):
            report.pushed = "no remote"
            return report
        git(["push", "--quiet", "-u", remote, _branch(root)], root)
        report.pushed = "pushed"
        return report
    if report.pulled != "merged":
        report.pulled = _pull(root, report, [], journal, rel)
        if report.conflicted:
            return report
    ahead = git(["rev-list", "--count", f"{upstream}..HEAD"], root).stdout.strip()
    if ahead == "0":
        report.pushed = "nothing to push"
    else:
        git(["push", "--quiet"], root)
        report.pushed = "pushed"
    return report


def _show(root: Path, spec: str) -> str | None:
    """Return a file's text as git holds it (`:2:journal.toml`, `HEAD:journal.toml`), None if absent."""
    if not spec:
        return None
    try:
        done = subprocess.run(
            ["git", "show", spec], cwd=root, capture_output=True, timeout=GIT_TIMEOUT, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.decode("utf-8", errors="replace") if done.returncode == 0 else None


def _merge_unmerged_journal(root: Path, journal: Path, rel: str, report: SyncReport) -> None:
    """A journal git left unmerged without markers: its merge driver did not run."""
    if rel in report.conflicted:
        _merge_in_place_of_driver(root, journal, rel, (f":1:{rel}", f":2:{rel}", f":3:{rel}"), report)


def _merge_in_place_of_driver(
    root: Path, journal: Path, rel: str, specs: tuple[str, str, str], report: SyncReport
) -> None:
    """Merge the journal as the driver would have, when git left it as this side alone.

    `specs` name the base, ours and theirs in git. The file may have changed
    since git left it (a `nexus log` in between): it is merged as ours. It is
    left alone when it has markers (the driver ran) or already holds what
    theirs changed (a conflict the user resolved by hand). Otherwise the merge
    is written in its place: staged when clean, with markers when not, so the
    other side's work is never committed away.
    """
    path = store.real_path(journal)
    try:
        current = _read(path, rel)
    except JournalError:
        return
    theirs = _show(root, specs[2])
    if theirs is None or merge.has_markers(current):
        return
    untouched = current == _show(root, specs[1])
    merged = merge_texts(_show(root, specs[0]) or "", current, theirs, store.format_for(rel))
    if merged.result is None or merged.ours is None:
        report.driver_skipped = driver_problem(root)
        raise GitError(
            f"git did not merge {rel} ({report.driver_skipped}) and nexus cannot: {merged.fallback}",
            hint="`git merge --abort` undoes the pull; `nexus sync setup --absolute`, then sync again",
        )
    fmt = store.format_for(rel)
    holds_theirs = store.dumps(merged.result.ours, fmt) == store.dumps(merged.ours, fmt)
    if holds_theirs and (not untouched or merged.result.clean):
        if untouched and rel in report.conflicted:
            git(["add", "--", rel], root)  # theirs changed nothing that matters: nothing to decide
            report.conflicted.remove(rel)
        return
    report.driver_skipped = driver_problem(root)
    store.write_journal(path, merged.text.encode("utf-8"))
    if merged.result.clean:
        git(["add", "--", rel], root)
        if rel in report.conflicted:
            report.conflicted.remove(rel)
    elif rel not in report.conflicted:
        report.conflicted.append(rel)


def driver_problem(root: Path) -> str:
    """Say why git could not run the merge driver, as far as can be told from here."""
    command = git(["config", "--get", f"merge.{DRIVER_NAME}.driver"], root, check=False).stdout.strip()
    if not command:
        return "no merge driver is configured in this clone"
    try:
        program = shlex.split(command)[0]
    except (ValueError, IndexError):
        return f"git cannot run {command!r}"
    if shutil.which(program) is None:
        return f"git cannot find {program}"
    return f"git could not run {program}"


def _refuse_markers(journal: Path, rel: str) -> None:
    """Never commit a journal that still holds conflict markers (git add does not check)."""
    try:
        text = journal.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return
    if merge.has_markers(text):
        raise JournalError(
            f"{rel} still has conflict markers",
            hint="keep one side of each <<<<<<< … >>>>>>> block, delete the markers, then `nexus sync`",
        )


def _remote(root: Path) -> str | None:
    remotes = git(["remote"], root, check=False).stdout.split()
    if not remotes:
        return None
    return "origin" if "origin" in remotes else remotes[0]


def _branch(root: Path) -> str:
    return git(["symbolic-ref", "--short", "HEAD"], root).stdout.strip()


def _adopt_remote_branch(root: Path, journal: Path, rel: str, report: SyncReport) -> str | None:
    """Track the remote's branch of the same name, if it has one; return the upstream."""
    remote = _remote(root)
    if remote is None:
        return None
    git(["fetch", "--quiet", remote], root)
    branch = _branch(root)
    tracking = f"{remote}/{branch}"
    if git(["rev-parse", "-q", "--verify", f"refs/remotes/{tracking}"], root, check=False).returncode != 0:
        return None
    if not _has_commits(root):
        # A fresh clone of a then-empty repository: take the remote's history first.
        _clear_untracked_copies(root, tracking, rel)
        report.pulled = _pull(root, report, [remote, branch], journal, rel)
    git(["branch", "--quiet", f"--set-upstream-to={tracking}"], root)
    return tracking


def _clear_untracked_copies(root: Path, tracking: str, rel: str) -> None:
    """Make room for the remote's files where an untracked local copy adds nothing."""
    for path in (".gitattributes", rel):
        local = root / path
        if not local.exists() or git(["cat-file", "-e", f"{tracking}:{path}"], root, check=False).returncode:
            continue
        theirs = git(["show", f"{tracking}:{path}"], root).stdout.splitlines()
        mine = local.read_text(encoding="utf-8", errors="replace").splitlines()
        if path == ".gitattributes" and set(mine) <= set(theirs):
            local.unlink()
        elif path != ".gitattributes":
            raise GitError(
                f"both this clone and {tracking} have {path}",
                hint="move yours aside, run `nexus sync`, then `nexus import` the moved file to merge it",
            )


def _pull(root: Path, report: SyncReport, where: list[str], journal: Path, rel: str) -> str:
    before = git(["rev-parse", "-q", "--verify", "HEAD"], root, check=False).stdout.strip()
    done = git(["pull", "--no-rebase", "--no-edit", "--quiet", *where], root, check=False)
    if done.returncode != 0:
        conflicted = unmerged_paths(root)
        if conflicted:
            report.conflicted = conflicted
            _merge_unmerged_journal(root, journal, rel, report)
            if report.conflicted:
                return "conflict"
            git(["commit", "--no-edit", "--quiet"], root)
            return "merged"
        raise GitError(f"git pull failed: {_last_line(done)}", hint=_hint_for("pull", done))
    after = git(["rev-parse", "HEAD"], root).stdout.strip()
    return "up to date" if before == after else "merged"
