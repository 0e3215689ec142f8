"""The hostile input that every app's hostile-input tests send (test_hostile_*.py):
one list, so that a new payload reaches every form and parameter."""

NUL = "before\x00after"  # PostgreSQL refuses it in text: must be a form error
OVERLONG = "x" * 10_000
HUGE = "y" * 1_000_000
SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE = '" autofocus onfocus="alert(1)'  # breaks out of an attribute if unescaped
BEYOND_BIGINT = "99999999999999999999"


def html(response):
    return response.content.decode()


def assert_escaped(page, payload=None):
    """No payload comes back as markup; a script comes back as text."""
    assert SCRIPT not in page
    assert 'onfocus="alert(1)' not in page
    if payload == SCRIPT:
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
