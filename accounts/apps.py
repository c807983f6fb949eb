from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from isales.middleware import session_seen_at_login

        # The login saves the session anyway: stamp it there, so the first page after it writes nothing.
        user_logged_in.connect(session_seen_at_login, dispatch_uid="accounts.session_seen_at_login")
