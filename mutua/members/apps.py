from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "mutua.members"
    label = "members"
    verbose_name = "Members"
