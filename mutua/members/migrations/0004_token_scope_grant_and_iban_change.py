"""Access tokens get a scope and the grant they live by; people keep when their IBAN changed.

Tokens created before this migration could already write: they keep the write scope. Each is
tied to what granted it: the owner's first staff role, else their first membership that has
not ended; a token whose owner has neither any more is revoked now."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from mutua.core import clock


def tie_existing_tokens(apps, schema_editor):
    AccessToken = apps.get_model("members", "AccessToken")
    StaffRole = apps.get_model("members", "StaffRole")
    Membership = apps.get_model("members", "Membership")
    for token in AccessToken.objects.filter(revoked_at__isnull=True):
        role = StaffRole.objects.filter(user_id=token.user_id).order_by("pk").first()
        membership = (
            Membership.objects.filter(person__user_id=token.user_id)
            .exclude(status="left")
            .order_by("pk")
            .first()
        )
        if role is not None:
            token.grant, token.granted_by_role = "staff_role", role
        elif membership is not None:
            token.grant, token.granted_by_membership = "membership", membership
        else:
            token.revoked_at = clock.now()
        token.save()


class Migration(migrations.Migration):

    dependencies = [
        ('members', '0003_municipality_and_tax_table'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='person',
            name='iban_changed_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='bank account changed at'),
        ),
        migrations.AddField(
            model_name='person',
            name='iban_checked_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='bank account change checked at'),
        ),
        migrations.AddField(
            model_name='person',
            name='iban_checked_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='accesstoken',
            name='scope',
            field=models.CharField(choices=[('read', 'Read only'), ('write', 'Read and write')], default='write', max_length=8, verbose_name='scope'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='accesstoken',
            name='grant',
            field=models.CharField(choices=[('staff_role', 'Staff role'), ('membership', 'Membership')], default='staff_role', max_length=12, verbose_name='granted by'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='accesstoken',
            name='granted_by_role',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='access_tokens', to='members.staffrole'),
        ),
        migrations.AddField(
            model_name='accesstoken',
            name='granted_by_membership',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='access_tokens', to='members.membership'),
        ),
        migrations.RunPython(tie_existing_tokens, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='accesstoken',
            constraint=models.CheckConstraint(condition=models.Q(('scope__in', ['read', 'write'])), name='access_token_scope_known'),
        ),
        migrations.AddConstraint(
            model_name='accesstoken',
            constraint=models.CheckConstraint(condition=models.Q(('grant__in', ['staff_role', 'membership'])), name='access_token_grant_known'),
        ),
    ]
