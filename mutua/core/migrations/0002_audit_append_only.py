from django.db import migrations

from mutua.core.db import make_append_only


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [
        migrations.RunPython(make_append_only("core_auditevent"), migrations.RunPython.noop),
    ]
