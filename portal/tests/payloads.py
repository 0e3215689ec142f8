"""The hostile input that every app's hostile-input tests send (test_hostile_*.py):
one list, so that a new payload reaches every form and parameter."""

from hypothesis import HealthCheck
from hypothesis import strategies as st

NUL = "before\x00after"  # PostgreSQL refuses it in text: must be a form error
OVERLONG = "x" * 10_000
HUGE = "y" * 1_000_000
SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE = '" autofocus onfocus="alert(1)'  # breaks out of an attribute if unescaped
BEYOND_BIGINT = "99999999999999999999"

# Addresses that urllib cannot split, or splits into what no profile's address is
# (wapiti sends the bracketed hosts): every field and parameter that takes an address
# must refuse them with a message, never fail.
BRACKETED_HOSTS = ["https://[x]/", "https://%5Bx%5D/", "http://[::1]/", "https://["]
USERINFO = "https://user:secret@www.instagram.com/fictional.uni/"
PORT = "https://www.instagram.com:8443/fictional.uni/"
PORT_OUT_OF_RANGE = "https://www.instagram.com:99999/fictional.uni/"
OVERLONG_HOST = "https://" + "a." * 130 + "example/fictional.uni"  # a 267-character host
HOSTILE_ADDRESSES = [*BRACKETED_HOSTS, USERINFO, PORT, PORT_OUT_OF_RANGE, OVERLONG_HOST]
# What the page says about each (escaped as the page shows it).
ADDRESS_REASONS = {
    **dict.fromkeys(BRACKETED_HOSTS, "” is not a web address."),
    USERINFO: "Remove the part before “@”, and the “@”, from the address",
    PORT: "Leave out “:8443” after the host name",
    PORT_OUT_OF_RANGE: "Leave out “:99999” after the host name",
    OVERLONG_HOST: "The host name in this address is longer than 253 characters.",
}
# Facebook's numeric ids in digits of other scripts: str.isdigit() says yes to them.
NON_ASCII_DIGITS = [
    "https://www.facebook.com/profile.php?id=\u0661\u0662\u0663",  # Arabic-Indic
    "https://www.facebook.com/profile.php?id=\uff11\uff12\uff13",  # full-width
    "https://www.facebook.com/profile.php?id=\u00b2",  # superscript two
]


def assert_escaped(page, payload=None):
    """No payload comes back as markup; a script comes back as text."""
    assert SCRIPT not in page
    assert 'onfocus="alert(1)' not in page
    if payload == SCRIPT:
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


# --- Property-based: what the forms' property tests type ------------------------------

# Those tests take function-scoped fixtures (the database, the client: each example
# rolls its own transaction back) and render forms, which is slow.
PROPERTY_TEST_CHECKS_OFF = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]


def text_of_any_kind(*, longest_run):
    """Any text: every unicode category Django can receive (surrogates cannot come
    through HTTP), null characters, and runs of one character up to ``longest_run``."""
    return st.one_of(
        st.text(max_size=60),
        st.text(alphabet=st.characters(codec="utf-8"), max_size=300),
        st.builds(lambda text: text + "\x00", st.text(max_size=10)),
        st.builds(
            lambda char, count: char * count,
            st.characters(codec="utf-8"),
            st.integers(1, longest_run),
        ),
    )
