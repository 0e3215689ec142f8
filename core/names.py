"""How the portal names a person on its pages and in its files: their full name, else
their username (Django's ``User.get_full_name()`` and ``get_username()``)."""


def person_name(user):
    """``user``'s name as the portal shows it; "" for nobody (None)."""
    return "" if user is None else user.get_full_name() or user.get_username()


def name_of(first_name, last_name, username):
    """``person_name()`` of a person read as values rather than as a User."""
    return f"{first_name} {last_name}".strip() or username
