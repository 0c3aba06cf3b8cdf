"""Create or update an editor: a staff user in the Editors group (README, "Editing")."""

import getpass
import os
import sys

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from catalog.curation import EDITORS_GROUP, create_editor

PASSWORD_ENV = "DJANGO_EDITOR_PASSWORD"


class Command(BaseCommand):
    help = (
        f"Create or update an editor: a staff user (not a superuser) in the "
        f'"{EDITORS_GROUP}" group, which this command also creates or resets.'
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="The editor's username.")
        parser.add_argument("--email", default="", help="The editor's email address.")
        parser.add_argument(
            "--no-input",
            "--noinput",
            action="store_false",
            dest="interactive",
            help=f"Do not prompt for a password; use ${PASSWORD_ENV} if set, else a "
            "new editor gets none (set it later with `changepassword`).",
        )

    def handle(self, *args, **options):
        password = self._password(interactive=options["interactive"])
        user, created = create_editor(
            username=options["username"], email=options["email"], password=password
        )
        verb = "Created" if created else "Updated"
        self.stdout.write(
            self.style.SUCCESS(f"{verb} editor {user.username} ({EDITORS_GROUP}).")
        )

    def _password(self, *, interactive: bool) -> str | None:
        """The environment's password, else one typed twice at a terminal."""
        password = os.environ.get(PASSWORD_ENV) or None
        if interactive and password is None and sys.stdin.isatty():
            password = getpass.getpass("Password (empty: keep or set none): ") or None
            if password and password != getpass.getpass("Password (again): "):
                raise CommandError("The two passwords differ.")
        if password:
            try:
                validate_password(password)
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from exc
        return password
