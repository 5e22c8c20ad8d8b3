"""config.toml: validation names the bad key; applying it again keeps tickets."""
import pytest
from sqlalchemy import func, select

from queue_core.adapters.orm import Category, Ticket, Window
from queue_core.config import ConfigError, load_settings
from queue_core.service.setup import apply_config

from ..conftest import HALL_TOML
from .helpers import issue


def write(tmp_path, text):
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("change,key", [
    (('prefix = "A"', 'prefix = "a1"'), "sites[0].categories[0].prefix"),
    (('daily_cap = 500', 'daily_cap = 0'), "sites[0].categories[0].daily_cap"),
    (('timezone = "Asia/Shanghai"', 'timezone = "Mars/Base"'), "sites[0].timezone"),
    (('a = ["realty"]', 'a = ["ghost"]'), "unknown category 'ghost'"),
    (('code = "tax"', 'code = "social"'), "duplicate categories: 'social'"),
    (('name_zh = "税务办理"', 'name_zh = "税务办理"\ncolour = "red"'), "sites[0].categories[1].colour"),
    # The skills table: only known categories, and never without the window's own A and B work.
    (('a = ["realty"]', 'a = ["realty"]\nmay_serve = ["realty", "tax", "ghost"]'),
     "window 4 may_serve names unknown category 'ghost'"),
    (('a = ["realty"]', 'a = ["realty"]\nmay_serve = ["realty"]'),
     "window 4 serves tax but its may_serve leaves it out"),
    # Holidays: real dates, each once; a time of day or another shape is refused with its value.
    (('weekdays = [1, 2, 3, 4, 5]', 'weekdays = [1, 2, 3, 4, 5]\nholidays = ["2026-02-30"]'),
     "holiday '2026-02-30' is not a real date"),
    (('weekdays = [1, 2, 3, 4, 5]', 'weekdays = [1, 2, 3, 4, 5]\nholidays = ["1.10.2026"]'),
     "holiday '1.10.2026' is not a date such as 2026-10-01"),
    (('weekdays = [1, 2, 3, 4, 5]', 'weekdays = [1, 2, 3, 4, 5]\nholidays = [2026-10-01T08:00:00]'),
     "sites[0].holidays: holiday 2026-10-01T08:00:00 has a time of day"),
    (('weekdays = [1, 2, 3, 4, 5]', 'weekdays = [1, 2, 3, 4, 5]\nholidays = [2026-10-01, "2026-10-01"]'),
     "holiday 2026-10-01 is listed twice"),
    (('weekdays = [1, 2, 3, 4, 5]', 'weekdays = [1, 2, 3, 4, 5]\nholidays = "2026-10-01"'),
     "holidays is a list of dates"),
])
def test_bad_config_names_the_key(tmp_path, change, key):
    text = HALL_TOML.read_text(encoding="utf-8").replace(*change, 1)
    with pytest.raises(ConfigError) as err:
        load_settings(write(tmp_path, text))
    assert key in str(err.value)


def test_demo_config_is_valid():
    settings = load_settings("config.toml")
    site = settings.sites[0]
    assert len(site.categories) >= 6 and len(site.windows) >= 10
    assert site.kiosks and site.screens and site.printers


def test_reapplying_config_changes_nothing_and_keeps_tickets(hall, settings, kiosk):
    issue(hall, kiosk)
    with hall.db.writer() as s:
        assert apply_config(s, settings) == []
        s.commit()
    with hall.db.reader() as s:
        assert s.scalar(select(func.count()).select_from(Ticket)) == 1


def test_removed_category_is_disabled_not_deleted(hall, settings, kiosk):
    issue(hall, kiosk, "realty")
    site = settings.sites[0]
    smaller = site.model_copy(update={
        "categories": [c for c in site.categories if c.code != "realty"],
        "windows": [w for w in site.windows if w.number != 4]})
    with hall.db.writer() as s:
        changes = apply_config(s, settings.model_copy(update={"sites": [smaller]}))
        s.commit()
    assert "category realty disabled" in changes and "window 4 disabled" in changes
    with hall.db.reader() as s:
        assert s.scalar(select(Category.enabled).where(Category.code == "realty")) is False
        assert s.scalar(select(Window.enabled).where(Window.number == 4)) is False
        assert s.scalar(select(func.count()).select_from(Ticket)) == 1
