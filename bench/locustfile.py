"""The load scenario of bench/load.py: who uses the portal, and how.

Not meant to be run on its own: bench/load.py builds the data, signs the people in
(their session cookies and the ids they visit are in the JSON file named by
LOAD_PLAN), starts gunicorn and runs this file headless with locust. The sessions are
signed with the secret key load.py generates for its server, so they are good for that
server only.

The mix (the users' weights, and each user's tasks' weights) is in bench/README.md,
"Load". Every user asks for at most LOAD_USER_RATE pages a second (default 3.5, so 50
users offer 175 requests a second); a page that answers slower leaves no pause. Pages
with an id are reported under one name (e.g. "/registry/[id]/").
"""

import json
import os
import random

from locust import FastHttpUser, constant_throughput, task

# Which page a simulated person asks for next: nothing secret depends on it.
choice, randint = random.choice, random.randint  # nosec B311  # picks pages, not secrets

with open(os.environ["LOAD_PLAN"], encoding="utf-8") as plan_file:
    PLAN = json.load(plan_file)
RATE = float(os.environ.get("LOAD_USER_RATE", "3.5"))
COOKIE = PLAN["cookie_name"]
DIRECTORY_SEARCHES = ["library", "news", "physics", "research", "@bench1", "alumni 12"]
REGISTRY_SEARCHES = [
    "?q=library&platform=instagram",
    "?q=students",
    "?platform=mastodon&status=active",
    "?status=dormant&sort=-due",
    "?overdue=on",
    "?no_deputy=on&sort=unit",
]


class PortalUser(FastHttpUser):
    abstract = True
    wait_time = constant_throughput(RATE)
    role = None  # a key of PLAN["people"]: whose sessions this user takes

    def on_start(self):
        self.person = choice(PLAN["people"][self.role]) if self.role else None
        self.cookies = {COOKIE: self.person["session"]} if self.person else {}

    def page(self, url, name=None):
        """GET ``url``; anything but a 200 (a redirect to the login page included) fails.
        Cookies the portal sets (the CSRF cookie) are sent back, as a browser does:
        otherwise every request would make the server draw a new CSRF secret."""
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        with self.client.get(
            url, name=name or url, headers=headers, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
            for cookie in response.headers.get_all("Set-Cookie") if response.headers else []:
                pair = cookie.split(";", 1)[0]
                key, _, value = pair.partition("=")
                self.cookies[key.strip()] = value.strip()


class Visitor(PortalUser):
    """Someone outside: the public directory, its search, and "is this account official?"."""

    weight = 4

    @task(4)
    def directory(self):
        self.page("/directory/")

    @task(3)
    def search(self):
        self.page(f"/directory/?q={choice(DIRECTORY_SEARCHES)}", "/directory/?q=[term]")

    @task(1)
    def later_page(self):
        self.page(f"/directory/?page={randint(2, 10)}", "/directory/?page=[n]")

    @task(3)
    def verify(self):
        url = choice(PLAN["verify_urls"])
        self.page(f"/directory/verify/?url={url}", "/directory/verify/?url=[address]")


class Staff(PortalUser):
    """A member of staff in the registry: the list, its searches and filters, a channel,
    their own proposal."""

    weight = 4
    role = "staff"

    @task(4)
    def registry(self):
        self.page("/registry/")

    @task(3)
    def registry_search(self):
        self.page(f"/registry/{choice(REGISTRY_SEARCHES)}", "/registry/?[filter]")

    @task(1)
    def registry_page(self):
        self.page(f"/registry/?sort=platform&page={randint(2, 20)}", "/registry/?sort&page=[n]")

    @task(3)
    def channel(self):
        self.page(f"/registry/{choice(PLAN['channels'])}/", "/registry/[id]/")

    @task(1)
    def own_proposal(self):
        self.page(f"/proposals/{choice(self.person['proposals'])}/", "/proposals/[id]/")

    @task(1)
    def own_proposals(self):
        self.page("/proposals/")


class UnitHead(PortalUser):
    """A unit head: the proposals awaiting their endorsement, the unit's figures."""

    weight = 1
    role = "heads"

    @task(3)
    def review_queue(self):
        self.page("/review/")

    @task(3)
    def review_page(self):
        self.page(f"/proposals/{choice(self.person['proposals'])}/", "/proposals/[id]/")

    @task(1)
    def unit_report(self):
        self.page(f"/metrics/units/{self.person['unit']}/report/", "/metrics/units/[id]/report/")

    @task(1)
    def portfolio(self):
        self.page("/metrics/")


class Reviewer(PortalUser):
    """The communications office: the review queue, a proposal's review page, and the
    figures of every channel."""

    weight = 1
    role = "reviewers"

    @task(3)
    def review_queue(self):
        self.page("/review/")

    @task(1)
    def review_queue_filtered(self):
        self.page("/review/?platform=mastodon", "/review/?platform=[p]")

    @task(3)
    def review_page(self):
        self.page(f"/proposals/{choice(PLAN['in_review'])}/", "/proposals/[id]/")

    @task(2)
    def portfolio(self):
        self.page("/metrics/")

    @task(1)
    def portfolio_sorted(self):
        self.page("/metrics/?sort=-followers&platform=mastodon", "/metrics/?sort&platform")

    @task(2)
    def channel_figures(self):
        self.page(f"/metrics/channels/{choice(PLAN['channels'])}/", "/metrics/channels/[id]/")
