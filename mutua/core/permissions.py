"""Staff roles (DESIGN.md §1). Who holds which role lives in members.StaffRole."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADVISER = "adviser", _("Adviser")
    ACCOUNTANT = "accountant", _("Accountant")
    PAYROLL_OFFICER = "payroll_officer", _("Payroll officer")
    ADMINISTRATOR = "administrator", _("Administrator")
    BOARD = "board", _("Board member")
