from django.db import migrations

from mutua.core.db import make_append_only


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]

    operations = [
        migrations.RunPython(make_append_only("ledger_entry"), migrations.RunPython.noop),
        migrations.RunPython(make_append_only("ledger_line"), migrations.RunPython.noop),
    ]
