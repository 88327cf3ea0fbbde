"""`mutua worker`: runs the background tasks stored in the database (mail, invoice deliveries,
declarations). `--batch` works off what is waiting and exits (cron, tests)."""

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorker


class Command(DatabaseWorker):
    help = "Run the background tasks (mail, deliveries, declarations); --batch to drain and exit."
