"""Dependencies point one way (the contracts are in pyproject.toml, [tool.importlinter]): the
composition root on top, pages above the core, the domain at the core's centre, printers/ and
pagekit/ below everything, the kiosk agent free of the core."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[2]


def test_no_layer_imports_upward():
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
