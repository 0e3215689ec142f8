"""{% once_per_language %} (core/templatetags/once.py): a part of the frame rendered
once per process and language, which can hold nothing of its reader."""

import pytest
from django.template import engines
from django.test import RequestFactory, override_settings
from django.utils import translation

from core.templatetags import once

pytestmark = pytest.mark.django_db


def render(source, context=None, request=None):
    return engines["django"].from_string("{% load i18n once %}" + source).render(context, request)


@pytest.fixture(autouse=True)
def nothing_kept():
    once.forget()
    yield
    once.forget()


def test_nothing_of_the_request_or_the_reader_is_inside(submitter):
    request = RequestFactory().get("/registry/?q=secret")
    request.user = submitter
    shown = render(
        "{% once_per_language %}[{{ user }}|{{ request.get_full_path }}|{% csrf_token %}|"
        "{{ shown }}]{% endonce_per_language %} {{ user }}",
        {"shown": "outside"},
        request,
    )
    assert shown == f"[|||] {submitter}"


def test_each_language_renders_once_and_the_values_given_are_part_of_the_key():
    template = engines["django"].from_string(
        "{% load i18n once %}{% once_per_language name=name %}"
        '{{ name }}: {% translate "Change" %}{% endonce_per_language %}'
    )
    (node,) = template.template.nodelist.get_nodes_by_type(once.OncePerLanguageNode)
    renders = []
    original = node.nodelist.render
    node.nodelist.render = lambda context: renders.append(1) or original(context)
    for _ in range(3):
        with translation.override("en"):
            assert template.render({"name": "Uni"}) == "Uni: Change"
        with translation.override("sv"):
            assert template.render({"name": "Uni"}) == "Uni: Ändra"
        with translation.override("en"):
            assert template.render({"name": "Other"}) == "Other: Change"
    assert len(renders) == 3  # once for each language and value, not nine times


def test_a_changed_setting_forgets_what_was_kept():
    with translation.override("en"):
        render('{% once_per_language %}{% url "home" %}{% endonce_per_language %}')
    assert once._kept
    with override_settings(PORTAL_ORGANISATION_NAME="Another"):
        assert not once._kept


def test_only_named_values_are_taken():
    with pytest.raises(Exception, match="only name=value arguments"):
        render("{% once_per_language organisation_name %}{% endonce_per_language %}")
