"""Nothing switches off the template engine's escaping unreviewed: no template uses
``|safe``, ``|safeseq`` or ``{% autoescape off %}``, and Python marks text safe only at
the call sites listed here, each reviewed. Sanitised HTML is made in Python and reaches
the template as a SafeString (guidelines/markdown.py), so that templates need no
``|safe`` at all."""

import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NOT_OURS = {".git", ".venv", "node_modules", "var", "static"}

# Each way a template can switch escaping off, as the expression that does it.
UNSAFE_IN_TEMPLATES = re.compile(
    r"{{[^}]*\|\s*safe(?:seq)?\b[^}]*}}"  # {{ value|safe }}, {{ list|safeseq }}
    r"|{%\s*autoescape\s+off\s*%}"
    r"|{%\s*filter\s[^%]*\bsafe(?:seq)?\b[^%]*%}"  # {% filter safe %}
)

# (template, expression) pairs proven not to render user content. Keep it empty: render
# sanitised HTML in Python and pass it as a SafeString instead.
ALLOWED_IN_TEMPLATES = set()

UNSAFE_IN_PYTHON = re.compile(r"\b(?:mark_safe|SafeString|SafeText)\(")

# (file, code of the line) of each reviewed call, with the reason it is safe.
ALLOWED_IN_PYTHON = {
    # nh3 has just removed every tag and attribute not on its short allow-list (no
    # script, no style, no event handler, links only to http, https and mailto).
    ("guidelines/markdown.py", "return mark_safe(clean)"),
    # A constant comment that render_with_part replaces with a part rendered by a
    # template (escaped there) once the page is encoded.
    ("core/view_helpers.py", "marker = mark_safe(_PART)"),
    # A chart's SVG and data table, written by metrics/charts.py: numbers by f-strings,
    # classes and anchors from its constants, every text through its _escape (as
    # conditional_escape does). (format_html for each of a chart's hundreds of parts
    # was most of the time of a channel's figures page.)
    ("metrics/charts.py", 'return mark_safe("".join(parts))'),
}


def our_files():
    """The project's own files, not the virtualenv's or node_modules'."""
    for folder, subfolders, names in os.walk(ROOT):
        subfolders[:] = sorted(name for name in subfolders if name not in NOT_OURS)
        for name in sorted(names):
            yield (Path(folder) / name).relative_to(ROOT)


def templates():
    return [path for path in our_files() if "templates" in path.parts]


def python_sources():
    this = Path(__file__).relative_to(ROOT)
    return [path for path in our_files() if path.suffix == ".py" and path != this]


def unsafe_in_templates():
    found = set()
    for path in templates():
        for match in UNSAFE_IN_TEMPLATES.finditer((ROOT / path).read_text()):
            found.add((path.as_posix(), match.group()))
    return found


def unsafe_in_python():
    found = set()
    for path in python_sources():
        for line in (ROOT / path).read_text().splitlines():
            if UNSAFE_IN_PYTHON.search(line):
                found.add((path.as_posix(), line.partition("#")[0].strip()))
    return found


def test_the_scan_reads_the_project_templates_and_not_the_virtualenvs():
    scanned = {path.as_posix() for path in templates()}
    assert {
        "templates/base.html",
        "portal/templates/portal/email/message.html",
        "checklist/templates/checklist/proposal_export.html",
        "guidelines/templates/guidelines/guideline_diff.html",
    } <= scanned
    assert [path for path in scanned if path.startswith((".venv", "node_modules"))] == []
    assert "guidelines/markdown.py" in {path.as_posix() for path in python_sources()}


def test_the_scan_recognises_every_way_to_switch_escaping_off():
    samples = [
        "{{ answer|safe }}",
        "{{ answer | safe }}",
        "{{ rows|safeseq|join:', ' }}",
        "{% autoescape off %}",
        "{%autoescape off%}",
        "{% filter safe %}",
        "{% filter lower|safe %}",
    ]
    for sample in samples:
        assert UNSAFE_IN_TEMPLATES.search(f"<p>{sample}</p>").group() == sample
    for harmless in ["{{ safety_note }}", "{% autoescape on %}", "{{ value|safety }}"]:
        assert UNSAFE_IN_TEMPLATES.search(harmless) is None


def test_no_template_switches_escaping_off():
    assert unsafe_in_templates() == ALLOWED_IN_TEMPLATES


def test_python_marks_text_safe_only_where_reviewed():
    assert unsafe_in_python() == ALLOWED_IN_PYTHON
