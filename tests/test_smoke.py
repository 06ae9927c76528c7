from nexus_cli import __version__


def test_version(ok):
    assert ok("--version").stdout.strip() == f"nexus {__version__}"
