"""The `queuehall` command: migrate, apply-config, create-user, set-password, deactivate-user,
reactivate-user, sessions, device-token, demo, serve."""
from __future__ import annotations

import os
import secrets
from pathlib import Path

from datetime import date, timedelta

import click

from .adapters import migrate as migrations
from .adapters.clock import SystemClock
from .adapters.db import open_database
from .adapters.publisher import NullPublisher
from .config import ConfigError, Settings, load_settings
from .domain.calendar import local_moment, parse_hhmm, service_date
from .domain.errors import DomainError
from .service import accounts, appointments
from .service.unit_of_work import SYSTEM, UnitOfWork
from .service.setup import apply_config

DEMO_CREDENTIALS = Path("data/demo-credentials.txt")
MAX_PHOTO_READ = accounts.MAX_PHOTO + 1  # one byte more tells a too large photo


def settings_of(ctx: click.Context) -> Settings:
    try:
        return load_settings(ctx.obj["config"])
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None


@click.group()
@click.option("--config", "config_path", default=None, help="config.toml (default: $QUEUEHALL_CONFIG or ./config.toml)")
@click.pass_context
def main(ctx: click.Context, config_path: str | None) -> None:
    """queuehall: queue ticketing for walk-in service halls."""
    # Everything this command and the server it starts create (the SQLite database and its
    # WAL/SHM files, the secret key, credentials, caches) is readable by its owner only.
    os.umask(0o077)
    ctx.obj = {"config": config_path}


@main.command()
@click.pass_context
def migrate(ctx: click.Context) -> None:
    """Create or upgrade the database schema (Alembic)."""
    settings = settings_of(ctx)
    db = open_database(settings.server.database_url)
    migrations.upgrade(db)
    db.dispose()
    click.echo("database schema is up to date")


@main.command("apply-config")
@click.pass_context
def apply_config_command(ctx: click.Context) -> None:
    """Create or update sites, categories, windows and devices from config.toml."""
    settings = settings_of(ctx)
    db = open_database(settings.server.database_url)
    with db.writer() as session:
        changes = apply_config(session, settings)
        session.commit()
    db.dispose()
    click.echo("\n".join(changes) or "config already applied: nothing changed")


@main.command("create-user")
@click.argument("username")
@click.option("--role", type=click.Choice(["staff", "manager", "admin"]), required=True)
@click.option("--name", "display_name", required=True, help="name shown on the window screen")
@click.option("--site", "site_code", default=None, help="site code (not needed for admin)")
@click.option("--number", "staff_number", default=None,
              help="工号 shown on the window screen (empty removes it)")
@click.option("--photo", type=click.File("rb"), default=None,
              help="photo shown on the window screen: a JPEG, PNG or WebP of at most 512 KB")
@click.password_option()
@click.pass_context
def create_user(ctx: click.Context, username: str, role: str, display_name: str,
                site_code: str | None, staff_number: str | None, photo, password: str) -> None:
    """Create a staff account, or reset its password and role (its 工号 and photo stay unless
    given)."""
    settings = settings_of(ctx)
    db = open_database(settings.server.database_url)
    try:
        with db.writer() as session:
            accounts.create_user(session, username, password, role, display_name, site_code,
                                 staff_number, photo.read(MAX_PHOTO_READ) if photo else None)
            session.commit()
    except DomainError as exc:
        raise click.ClickException(f"{exc.code}: {exc.params}") from None
    finally:
        db.dispose()
    click.echo(f"user {username} ({role}) saved")


def _account_change(settings: Settings, change) -> dict:
    """Run one account use case as the command line (the hall's operator), on the audit trail."""
    db = open_database(settings.server.database_url)
    try:
        return change(UnitOfWork(db, NullPublisher(), SystemClock()))
    except DomainError as exc:
        raise click.ClickException(f"{exc.code}: {exc.params}") from None
    finally:
        db.dispose()


@main.command("set-password")
@click.argument("username")
@click.password_option()
@click.pass_context
def set_password(ctx: click.Context, username: str, password: str) -> None:
    """Set an account's password; every session of that account ends."""
    done = _account_change(settings_of(ctx), lambda uow: accounts.set_password(
        uow, SYSTEM, username, password))
    click.echo(f"password of {username} set; {done['sessions_ended']} session(s) ended")


@main.command("deactivate-user")
@click.argument("username")
@click.pass_context
def deactivate_user(ctx: click.Context, username: str) -> None:
    """Deactivate an account: its sessions end, its window post is freed, sign-in is refused."""
    done = _account_change(settings_of(ctx), lambda uow: accounts.set_active(
        uow, SYSTEM, username, False))
    click.echo(f"user {username} deactivated; {done['sessions_ended']} session(s) ended")


@main.command("reactivate-user")
@click.argument("username")
@click.pass_context
def reactivate_user(ctx: click.Context, username: str) -> None:
    """Reactivate an account: it may sign in again."""
    _account_change(settings_of(ctx), lambda uow: accounts.set_active(uow, SYSTEM, username, True))
    click.echo(f"user {username} reactivated")


@main.command("sessions")
@click.option("--site", "site_code", default=None, help="only this site's accounts")
@click.pass_context
def sessions(ctx: click.Context, site_code: str | None) -> None:
    """Who is signed in: open console sessions, newest first."""
    settings = settings_of(ctx)
    db = open_database(settings.server.database_url)
    try:
        with db.reader() as session:
            rows = accounts.open_sessions(session, SYSTEM, SystemClock().now(),
                                          settings.server.session_idle, site_code)
    except DomainError as exc:
        raise click.ClickException(f"{exc.code}: {exc.params}") from None
    finally:
        db.dispose()
    for r in rows:
        click.echo(f"{r['username']:12} {r['role']:8} {r['site'] or '-':10} since {r['since'][:19]}"
                   f"  last seen {r['last_seen'][:19]}  from {r['address']}")
    if not rows:
        click.echo("nobody is signed in")


@main.command("device-token")
@click.argument("site_code")
@click.argument("device_code")
@click.pass_context
def device_token(ctx: click.Context, site_code: str, device_code: str) -> None:
    """Issue a new token for a kiosk or screen (the old one stops working)."""
    settings = settings_of(ctx)
    db = open_database(settings.server.database_url)
    try:
        with db.writer() as session:
            token = accounts.issue_device_token(session, site_code, device_code)
            session.commit()
    except DomainError as exc:
        raise click.ClickException(f"{exc.code}: {exc.params}") from None
    finally:
        db.dispose()
    click.echo(token)


@main.command()
@click.pass_context
def demo(ctx: click.Context) -> None:
    """Prepare the demo hall: schema, config, demo accounts and device tokens (once)."""
    ctx.invoke(migrate)
    ctx.invoke(apply_config_command)
    settings = settings_of(ctx)
    if not DEMO_CREDENTIALS.exists():
        DEMO_CREDENTIALS.parent.mkdir(parents=True, exist_ok=True)
        DEMO_CREDENTIALS.write_text(_create_demo_accounts(settings), encoding="utf-8")
        DEMO_CREDENTIALS.chmod(0o600)
    click.echo(DEMO_CREDENTIALS.read_text(encoding="utf-8"))


def _create_demo_accounts(settings: Settings) -> str:
    db = open_database(settings.server.database_url)
    site = settings.sites[0]
    lines = [f"Demo hall {site.name_zh} ({site.code}) — demo credentials, keep private:", ""]
    with db.writer() as session:
        people = [("admin", "admin", "管理员", None, None),
                  ("manager", "manager", "王经理", site.code, "1001"),
                  ("staff1", "staff", "李明", site.code, "1023"),
                  ("staff2", "staff", "张华", site.code, "1024"),
                  ("staff3", "staff", "陈静", site.code, "1025")]
        for username, role, name, site_code, number in people:
            password = secrets.token_urlsafe(9)
            accounts.create_user(session, username, password, role, name, site_code, number)
            lines.append(f"  {role:8} {username:8} password {password}")
        lines.append("")
        kiosk_pages, screen_pages = [], []
        for device in [*site.kiosks, *site.screens]:
            token = accounts.issue_device_token(session, site.code, device.code)
            lines.append(f"  device {device.code:10} token {token}")
            if device in site.kiosks:
                kiosk_pages.append(f"  kiosk page {settings.server.public_url}/kiosk/#token={token}")
            if device in site.screens:
                screen_pages.append(f"  screen page {settings.server.public_url}"
                                    f"/display/{device.kind}#token={token}")
        lines += ["", *kiosk_pages, *screen_pages,
                  f"  staff console {settings.server.public_url}/counter/",
                  f"  manager console {settings.server.public_url}/manager/"]
        session.commit()
    lines += ["", "Demo appointments (预约签到 at the kiosk):", *_demo_appointments(db, site)]
    db.dispose()
    return "\n".join(lines) + "\n"


def _demo_appointments(db, site) -> list[str]:
    """Slots around now in the first category: two to check in now, one too early."""
    now = SystemClock().now().replace(second=0, microsecond=0)
    start = now - timedelta(minutes=now.minute % 5)
    category = site.categories[0]
    lines = []
    for offset, note in [(-5, "check in now"), (15, "check in now"), (180, "too early now")]:
        slot = start + timedelta(minutes=offset)
        try:
            booked = appointments.book(UnitOfWork(db, NullPublisher(), SystemClock()), site.code,
                                       category.code, slot, slot + timedelta(minutes=30), SYSTEM)
        except DomainError as exc:
            lines.append(f"  (no demo appointment: {exc.code})")
            break
        lines.append(f"  appointment {booked['code']} {category.name_zh} "
                     f"{booked['slot_start'][11:16]}-{booked['slot_end'][11:16]} ({note})")
    return lines


@main.command("book-appointment")
@click.option("--site", "site_code", required=True)
@click.option("--category", required=True, help="category code")
@click.option("--slot", required=True, help="start time HH:MM, local time of the site")
@click.option("--date", "day", default=None, help="YYYY-MM-DD (default: today at the site)")
@click.option("--minutes", default=30, type=click.IntRange(5, 480), help="slot length")
@click.pass_context
def book_appointment(ctx: click.Context, site_code: str, category: str, slot: str,
                     day: str | None, minutes: int) -> None:
    """Book an appointment (预约) slot and print its check-in code."""
    settings = settings_of(ctx)
    try:
        zone = settings.site(site_code).timezone
        when = parse_hhmm(slot)
        on = date.fromisoformat(day) if day else service_date(SystemClock().now(), zone)
    except DomainError as exc:
        raise click.ClickException(f"{exc.code}: {exc.params}") from None
    except ValueError:
        raise click.BadParameter("give --slot as HH:MM and --date as YYYY-MM-DD") from None
    start = local_moment(on, when, zone)
    db = open_database(settings.server.database_url)
    try:
        booked = appointments.book(UnitOfWork(db, NullPublisher(), SystemClock()), site_code,
                                   category, start, start + timedelta(minutes=minutes), SYSTEM)
    except DomainError as exc:
        raise click.ClickException(f"{exc.code}: {exc.params}") from None
    finally:
        db.dispose()
    click.echo(f"appointment {booked['code']} {booked['category']} "
               f"{booked['slot_start']} to {booked['slot_end']}")
