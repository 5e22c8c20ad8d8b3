"""The rights table is written down once (domain/rights.py) and shown in the README as is."""
import re
from pathlib import Path

from queue_core.domain.rights import RIGHTS, Kind, Right, may

README = Path(__file__).parents[2] / "README.md"
SOURCE = Path(__file__).parents[2] / "queue_core" / "domain" / "rights.py"
COLUMNS = {"kiosk": "kiosk", "hall_screen": "hall screen", "window_screen": "window screen",
           "evaluator_screen": "evaluator pad", "staff": "staff", "manager": "manager",
           "admin": "admin"}


def markdown_table() -> str:
    """The table as the README shows it, each right with the comment it has in the code."""
    comments = dict(re.findall(r'^\s+([A-Z_]+) = "\w+"\s+# (.*)$', SOURCE.read_text(), re.M))
    kinds = [k for k in Kind if k != Kind.NOBODY]
    lines = ["| right | what it covers | " + " | ".join(COLUMNS[k] for k in kinds) + " |",
             "|---|---|" + "---|" * len(kinds)]
    for right in Right:
        marks = " | ".join("✓" if k in RIGHTS[right] else "" for k in kinds)
        lines.append(f"| `{right.value}` | {comments[right.name]} | {marks} |")
    return "\n".join(lines)


def test_the_readme_shows_the_table_of_the_code():
    assert markdown_table() in README.read_text(), \
        "README's rights table differs from domain/rights.py; paste:\n" + markdown_table()


def test_nobody_has_only_the_public_right_and_devices_no_people_s_work():
    assert [r for r in Right if may(Kind.NOBODY, r)] == [Right.PUBLIC]
    for device in (Kind.KIOSK, Kind.HALL_SCREEN, Kind.WINDOW_SCREEN, Kind.EVALUATOR):
        for right in (Right.SERVE, Right.REPRINT, Right.READ_QUEUE, Right.MANAGE, Right.REPORTS,
                      Right.ACCOUNTS, Right.OWN_ACCOUNT):
            assert not may(device, right)
    assert {k for k in Kind if may(k, Right.ISSUE)} == {Kind.KIOSK, Kind.STAFF, Kind.MANAGER,
                                                        Kind.ADMIN}
