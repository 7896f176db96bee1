from wagtail import hooks

from .admin_views import LoginLockoutViewSet


@hooks.register("register_admin_viewset")
def register_login_lockouts():
    return LoginLockoutViewSet()
