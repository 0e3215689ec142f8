from core.roles import is_portal_admin


class PortalAdminPermissionBackend:
    """Grants portal administrators every model permission.

    Authenticates nobody (``authenticate`` returns None); it only answers permission
    questions, so that membership of the portal-admins group is all it takes to
    maintain the registry in the Django admin, without copying permission rows into
    the group each time a model is added.
    """

    def authenticate(self, request, **credentials):
        return None

    def get_user(self, user_id):
        return None

    def has_perm(self, user_obj, perm, obj=None):
        return is_portal_admin(user_obj)

    def has_module_perms(self, user_obj, app_label):
        return is_portal_admin(user_obj)
