"""Reading the test client's responses."""

import html as html_module


def html(response):
    """The page, as the browser gets it."""
    return response.content.decode()


def text(response):
    """The page with its entities unescaped: what the reader sees (tags included)."""
    return html_module.unescape(response.content.decode())
