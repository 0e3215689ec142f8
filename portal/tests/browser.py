"""Helpers of the browser tests (the ``page`` and ``new_page`` fixtures of the root
conftest.py)."""

# The password of every person of the demo data (the ``demo_data`` fixture).
DEMO_PASSWORD = "demo"


def fill_sign_in(page, username, password=DEMO_PASSWORD):
    """Fills the sign-in form the page shows and sends it."""
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
