"""Reading the test client's responses."""

import html as html_module
import re


def html(response):
    """The page, as the browser gets it."""
    return response.content.decode()


def text(response):
    """The page with its entities unescaped: what the reader sees (tags included)."""
    return html_module.unescape(response.content.decode())


def nav_labels(page, navigation="Main navigation"):
    """The link labels of the main navigation of ``page`` (its HTML), whose own label
    is ``navigation`` (in the page's language)."""
    nav = page.split(f'aria-label="{navigation}"', 1)[1].split("</nav>", 1)[0]
    return re.findall(r"<a [^>]*data-nav-item[^>]*>([^<]+)</a>", nav)
