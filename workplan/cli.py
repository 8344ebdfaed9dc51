"""The command line: seed-demo, create-user, generate-data, backup, send-reminders."""

import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from workplan.audit import acting_as
from workplan.extensions import db
from workplan.models import ROLES
from workplan.seed import demo, synthetic
from workplan.services import DomainError, accounts, backup, notices, reminders
from workplan.services.links import send_link
from workplan.storage import storage


def register(app: Flask) -> None:
    """Attach the commands to the app."""
    for command in (
        seed_demo,
        create_user,
        generate_data,
        backup_command,
        send_reminders_command,
        send_meeting_notices_command,
    ):
        app.cli.add_command(command)


@contextmanager
def _transaction(actor: str) -> Iterator[None]:
    """One transaction named after the command in the audit log; all or nothing is written."""
    try:
        with acting_as(actor):
            yield
            db.session.commit()
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from error
    except Exception:
        db.session.rollback()
        raise


def _may_load(force: bool, if_empty: bool, command: str) -> bool:
    """Decide what to do with a database that already has data; True means go on loading."""
    if force and if_empty:
        raise click.UsageError("Use --force or --if-empty, not both.")
    if not demo.database_has_data():
        return True
    if if_empty:
        click.echo("The database already has data; nothing loaded.")
        return False
    if force:
        demo.clear_database()
        return True
    raise click.ClickException(
        "The database already has data (chairmanships or accounts), so nothing was loaded. "
        f"Run `flask {command} --force` to delete everything in it first, "
        "or use an empty database."
    )


@click.command("seed-demo")
@with_appcontext
@click.option("--password", help="Password of the demo accounts (default: a random one).")
@click.option("--force", is_flag=True, help="Delete all data first (records, accounts, audit log).")
@click.option("--if-empty", is_flag=True, help="Load only into an empty database; else do nothing.")
def seed_demo(password: str | None, force: bool, if_empty: bool) -> None:
    """Load the forum's public facts and invented demo records, and print the demo accounts."""
    started = time.perf_counter()
    with _transaction("flask seed-demo"):
        if not _may_load(force, if_empty, "seed-demo"):
            return
        with click.progressbar(length=len(demo.STEPS), label="Loading demo data") as bar:
            result = demo.seed(password=password, progress=lambda _label: bar.update(1))
    counts = result.counts
    click.echo(
        f"Loaded in {time.perf_counter() - started:.1f} s: "
        f"{counts['chairmanships']} chairmanships, {counts['roundtables']} roundtables, "
        f"{counts['meetings']} meetings, {counts['deliverables']} deliverables, "
        f"{counts['pledges']} pledges, {counts['payments']} payments, "
        f"{counts['governments']} governments, {counts['organisations']} organisations."
    )
    click.echo("\nDemo accounts:\n")
    rows = [("role", "email", "government")] + [
        (a.role, a.email, a.government or "-") for a in result.accounts
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    for row in rows:
        cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        click.echo(("  " + "  ".join(cells)).rstrip())
    click.echo(f"\nPassword for every demo account: {result.password}")


@click.command("create-user")
@with_appcontext
@click.option("--email", required=True, help="The person's e-mail address (their login).")
@click.option("--name", required=True, help="The person's name.")
@click.option("--role", required=True, help=f"One of: {', '.join(ROLES)}.")
@click.option("--government", help="ISO 3166-1 alpha-3 code; required for a focal point.")
@click.option("--password", help="Set this password now instead of sending an invitation link.")
def create_user(
    email: str, name: str, role: str, government: str | None, password: str | None
) -> None:
    """Create an account; without --password, print a one-time invitation link."""
    link = None
    with _transaction("flask create-user"):
        user = accounts.create_user(
            email=email, name=name, role=role, government_iso3=government, password=password
        )
        if password is None:
            link = send_link(user, "invite", current_app.config["PUBLIC_BASE_URL"])
    where = f" for {user.government.name} ({user.government.iso3})" if user.government else ""
    click.echo(f"Created {user.role} account {user.email}{where}.")
    if link:
        hours = current_app.config["SET_PASSWORD_LINK_HOURS"]
        click.echo(f"Invitation link (works once, for {hours} hours):\n{link}")


@click.command("generate-data")
@with_appcontext
@click.option(
    "--scale",
    required=True,
    type=click.IntRange(min=1),
    help="How many chairmanships' worth of data.",
)
@click.option("--seed", default=1, show_default=True, help="Random seed: same seed, same data.")
@click.option("--password", help="Password of every synthetic account (default: a random one).")
@click.option("--force", is_flag=True, help="Delete all data first (records, accounts, audit).")
def generate_data(scale: int, seed: int, password: str | None, force: bool) -> None:
    """Generate a synthetic data set N times one chairmanship's size, for benchmarks."""
    started = time.perf_counter()
    with _transaction("flask generate-data"):
        _may_load(force, False, "generate-data")
        with click.progressbar(length=scale, label="Generating chairmanships") as bar:
            result = synthetic.generate(
                scale=scale, seed=seed, password=password, progress=bar.update
            )
    click.echo(f"Generated in {time.perf_counter() - started:.1f} s:")
    for table, count in result.counts.items():
        click.echo(f"  {table:<24} {count:>9,}")
    click.echo("Every synthetic account has the same password: " + result.password)
    for role, email in result.sample_accounts.items():
        click.echo(f"  {role:<12} {email}")


@click.command("backup")
@with_appcontext
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(path: Path) -> None:
    """Write a consistent copy of the database to PATH while the app keeps running."""
    try:
        result = backup.backup(db.engine.url, path)
    except DomainError as error:
        raise click.ClickException(error.message) from error
    click.echo(f"Wrote {result.method} backup to {result.path} ({result.human_size}).")
    store = storage()
    keys = backup.files_to_copy(store)
    if keys is not None:
        with click.progressbar(length=len(keys), label="Copying documents' files") as bar:
            files = backup.backup_folder(store.root, keys, backup.documents_path(path), bar.update)
        click.echo(
            f"Wrote the documents' files ({files.method}) to {files.path} ({files.human_size}); "
            f"to restore them, extract it into {store.root}."
        )
    else:
        click.echo(
            f"The documents' files are in {store.description}, not in this backup: keep "
            "versioning on for that bucket, or copy it beside this file (for example with "
            "aws s3 sync)."
        )


@click.command("send-reminders")
@with_appcontext
@click.option(
    "--date",
    "on",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="The day to remind for (default: today). A second run on one day sends nothing.",
)
def send_reminders_command(on) -> None:
    """E-mail each focal point the deliverables of their government due soon or overdue."""
    today = on.date() if on else date.today()
    pending = reminders.digests(today)
    with (
        acting_as("flask send-reminders"),
        click.progressbar(length=len(pending), label="Sending reminders") as bar,
    ):
        sent = 0
        for _digest in reminders.send_reminders(today, current_app.config["PUBLIC_BASE_URL"]):
            db.session.commit()
            sent += 1
            bar.update(1)
    click.echo(f"Sent {sent} reminder digest{'s' if sent != 1 else ''} for {today.isoformat()}.")


@click.command("send-meeting-notices")
@with_appcontext
def send_meeting_notices_command() -> None:
    """E-mail focal points each meeting published, rescheduled or cancelled, with its .ics.

    Run it every few minutes (cron or a systemd timer): each change is told once per person,
    however often or from however many machines it runs.
    """
    pending = notices.pending()
    sent = 0
    with (
        acting_as("flask send-meeting-notices"),
        click.progressbar(length=len(pending), label="Sending meeting notices") as bar,
    ):
        for _notice in notices.send_notices():
            db.session.commit()
            sent += 1
            bar.update(1)
    click.echo(f"Sent {sent} meeting notice{'s' if sent != 1 else ''}.")
