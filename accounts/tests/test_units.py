import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError

from accounts.models import Unit
from portal.tests.factories import make_unit


def test_headed_by_lists_the_units_a_person_heads(unit_head, outsider):
    headed = make_unit(name="Physics", head=unit_head)
    make_unit(name="History", head=outsider)
    assert list(Unit.objects.headed_by(unit_head)) == [headed]


def test_headed_by_is_empty_for_an_anonymous_visitor(db):
    make_unit()
    assert list(Unit.objects.headed_by(AnonymousUser())) == []


def test_a_unit_cannot_be_its_own_parent(db):
    unit = make_unit(name="Physics")
    unit.parent = unit
    with pytest.raises(ValidationError, match="cannot be placed under itself"):
        unit.full_clean()


def test_a_unit_cannot_be_placed_under_its_own_descendant(db):
    faculty = make_unit(name="Faculty")
    department = make_unit(name="Department", parent=faculty)
    group = make_unit(name="Group", parent=department)
    faculty.parent = group
    with pytest.raises(ValidationError):
        faculty.full_clean()


def test_a_unit_may_move_under_another_branch(db):
    faculty = make_unit(name="Faculty")
    other = make_unit(name="Other faculty")
    department = make_unit(name="Department", parent=faculty)
    department.parent = other
    department.full_clean()  # raises if the move were refused
    department.save()
    department.refresh_from_db()
    assert department.parent == other
