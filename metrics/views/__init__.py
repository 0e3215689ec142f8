"""The metrics pages: the owner's forms (owner.py) and the dashboards (dashboards.py)."""
