"""`mutua demo [--no-serve] [--reset]`: migrate, load the demo federation, serve, print logins."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.test.utils import override_settings

from mutua.demo.federation import PASSWORD, STAFF_TOTP_SECRET, build_federation, federation_exists


class Command(BaseCommand):
    help = "Set up the demo federation (BE, FR, SE) on the configured database and serve it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-serve", action="store_true", help="load the data, do not serve")
        parser.add_argument("--reset", action="store_true", help="wipe the database first")
        parser.add_argument("--addr", default="127.0.0.1:8000")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and options["reset"]:
            raise CommandError("--reset wipes every table: refused when DEBUG is off")
        call_command("migrate", interactive=False, verbosity=0)
        if options["reset"]:
            call_command("flush", interactive=False, verbosity=0)
        if federation_exists():
            self.stdout.write("Demo federation already loaded (use --reset to rebuild it).")
        else:
            self.stdout.write("Loading the demo federation...")
            # The welcome mails of 60 approvals would bury the logins: keep them in memory.
            with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
                logins = build_federation()
            self._print_logins(logins)
        if not options["no_serve"]:
            self.stdout.write(f"Serving on http://{options['addr']}/  (Ctrl-C to stop)")
            call_command("runserver", options["addr"], use_reloader=False)

    def _print_logins(self, logins: Any) -> None:
        out = self.stdout
        out.write(self.style.SUCCESS(f"\nDemo logins (password for all: {PASSWORD})"))
        out.write("\nMembers:")
        for email, what in logins.members:
            out.write(f"  {email:38} {what}")
        out.write("\nStaff (a second factor is required for staff):")
        for email, what in logins.staff:
            out.write(f"  {email:38} {what}")
        out.write(
            f"\nStaff TOTP secret: {STAFF_TOTP_SECRET} (add it to an authenticator app,\n"
            "or print the current code with: .venv/bin/mutua demo_totp)\n"
        )
