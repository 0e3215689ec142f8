"""Small keyword-only factories: each sets only what a test depends on."""

import itertools

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from accounts.models import Unit

_numbers = itertools.count(1)

PASSWORD = "correct horse battery staple"


def make_user(*, username=None, groups=(), is_active=True, is_superuser=False, **fields):
    number = next(_numbers)
    username = username or f"person{number}"
    user = get_user_model().objects.create_user(
        username=username,
        password=PASSWORD,
        email=f"{username}@example.org",
        is_active=is_active,
        is_superuser=is_superuser,
        **fields,
    )
    if groups:
        user.groups.set(Group.objects.filter(name__in=groups))
    return user


def make_unit(*, name=None, parent=None, head=None):
    return Unit.objects.create(name=name or f"Unit {next(_numbers)}", parent=parent, head=head)
