"""``{% once_per_language %}``: a part of a template rendered once per process and
language, then served as it was.

The frame of every page (the stylesheets and scripts, the skip link, the language
switcher) is the same for every reader: rendering it was about a quarter of a
signed-in page served from the cache (a dozen translations, address look-ups and the
language list; bench/README.md, "Load"). Inside the block nothing of the request is
available, so nothing of a reader can be kept and shown to another: the block sees
only the values it is given, which are part of what it is kept under::

    {% once_per_language name=organisation_name version=portal_version %}
      <span>{{ name }} · ...</span>
    {% endonce_per_language %}

Translations, ``{% url %}`` without a reader's values and ``{% static %}`` work inside;
``{% csrf_token %}`` and ``{{ request }}`` are empty there, so they stay outside. What
is kept is forgotten when a setting changes (tests) or the development server sees a
file change.
"""

import itertools
import threading

from django import template
from django.core.signals import setting_changed
from django.template.base import token_kwargs
from django.utils.autoreload import file_changed
from django.utils.translation import get_language

register = template.Library()

LIMIT = 1000  # kept parts per process; beyond, all are forgotten and rendered again
_kept = {}
_lock = threading.Lock()
_numbers = itertools.count()


class OncePerLanguageNode(template.Node):
    def __init__(self, nodelist, values):
        self.nodelist = nodelist
        self.values = values
        self.number = next(_numbers)  # this block, in this parse of its template

    def render(self, context):
        values = {name: value.resolve(context) for name, value in self.values.items()}
        key = (self.number, get_language(), *sorted((k, str(v)) for k, v in values.items()))
        try:
            return _kept[key]
        except KeyError:
            pass
        rendered = self.nodelist.render(context.new(values))
        with _lock:
            if len(_kept) >= LIMIT:
                _kept.clear()
            _kept[key] = rendered
        return rendered


@register.tag
def once_per_language(parser, token):
    bits = token.split_contents()[1:]
    values = token_kwargs(bits, parser)
    if bits:
        raise template.TemplateSyntaxError(
            "once_per_language takes only name=value arguments, the values the block shows."
        )
    nodelist = parser.parse(("endonce_per_language",))
    parser.delete_first_token()
    return OncePerLanguageNode(nodelist, values)


def forget(**kwargs):
    _kept.clear()


setting_changed.connect(forget, weak=False, dispatch_uid="core.once_per_language")
file_changed.connect(forget, weak=False, dispatch_uid="core.once_per_language.files")
