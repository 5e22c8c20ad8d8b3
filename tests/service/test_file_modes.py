"""What the hall writes to disk is its own: the database, its WAL/SHM files, the secret key and
the demo credentials are created owner-only by `queuehall demo` and `queuehall serve`."""
import os
import stat
import subprocess
import sys
from pathlib import Path

from tests.e2e.server import always_open_config

QUEUEHALL = Path(sys.executable).with_name("queuehall")


def test_the_database_key_and_credentials_are_owner_only(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text(always_open_config(f"sqlite:///{tmp_path / 'data' / 'hall.db'}"),
                      encoding="utf-8")
    env = {**os.environ, "QUEUEHALL_CONFIG": str(config)}
    env.pop("QUEUEHALL_DATABASE_URL", None)
    old = os.umask(0o022)  # what a shell usually has
    try:
        subprocess.run([str(QUEUEHALL), "demo"], cwd=tmp_path, env=env, check=True,
                       capture_output=True, timeout=120)
    finally:
        os.umask(old)
    made = [p for p in (tmp_path / "data").iterdir() if p.is_file()]
    assert {p.name for p in made} >= {"hall.db", "demo-credentials.txt"}
    loose = {p.name: oct(stat.S_IMODE(p.stat().st_mode)) for p in made
             if stat.S_IMODE(p.stat().st_mode) & 0o077}
    assert loose == {}
