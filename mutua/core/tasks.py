"""Background work: tasks are enqueued once the transaction that asked for them commits, so a
rolled-back action sends no mail and delivers nothing. The backend (settings.TASKS) runs them in
the process for the demo and in `mutua worker` in production; arguments are ids, never objects,
because a task may run later, in another process."""

from __future__ import annotations

from typing import Any

from django.db import transaction


def enqueue_after_commit(task: Any, *args: Any) -> None:
    transaction.on_commit(lambda: task.enqueue(*args))
