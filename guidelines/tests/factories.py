"""Small keyword-only factories for the guidelines' tests."""

from guidelines.models import Guideline

GUIDELINE_TITLE = "Tone of voice"
GUIDELINE_SUMMARY = f"Summary of {GUIDELINE_TITLE}."
GUIDELINE_BODY = "## Be kind\n\nAnswer within a day.\n\n- Use plain language\n- Sign with your name"


def make_guideline(
    *, by, slug="tone-of-voice", title=GUIDELINE_TITLE, body=GUIDELINE_BODY, **fields
):
    """A guideline published once by ``by`` (its version 1), summarised as
    "Summary of <title>."."""
    guideline = Guideline.objects.create(slug=slug, **fields)
    guideline.publish(by=by, title=title, summary=f"Summary of {title}.", body=body)
    return guideline
