from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "mutua.members"
    label = "members"
    verbose_name = "Members"

    def ready(self) -> None:
        from mutua.core.staff import register_staff_check
        from mutua.members.queries import is_staff_user

        register_staff_check(is_staff_user)
