"""What changed in a proposal's answers since the reviewers asked for changes: the
answers as they were reviewed (kept in the request-changes transition's payload) against
the answers now, item by item, as a word-level difference.

The difference is data (segments of kept, removed and added text), never HTML: the
template escapes every segment, so an answer cannot bring markup into the page.
"""

import difflib
import re

# Words and the whitespace between them, each a token: a changed word shows alone.
_TOKENS = re.compile(r"\s+|\S+")

SAME, REMOVED, ADDED = "same", "removed", "added"


def _tokens(text):
    return _TOKENS.findall(text.replace("\r\n", "\n"))


def difference(before, after):
    """[{"op": SAME | REMOVED | ADDED, "text": ...}] turning ``before`` into ``after``."""
    old, new = _tokens(before), _tokens(after)
    segments = []

    def add(op, tokens):
        text = "".join(tokens)
        if not text:
            return
        if segments and segments[-1]["op"] == op:
            segments[-1]["text"] += text
        else:
            segments.append({"op": op, "text": text})

    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            add(SAME, old[i1:i2])
        else:
            add(REMOVED, old[i1:i2])
            add(ADDED, new[j1:j2])
    return segments


def since_review(transitions, items, answers):
    """The changes of the last resubmission, or None when there is none to show (never
    resubmitted, or returned before the answers were kept): {"review": the
    request-changes transition, "items": {item pk: {"changed": bool, "segments": [...]}}}.
    ``transitions`` oldest first, each a dict with its "action" and "payload"; ``items``
    dicts with their "pk" and "key"; ``answers`` {item pk: text}."""
    review = None
    resubmitted = False
    for transition in transitions:
        if transition["action"] == "proposal.changes_requested":
            review, resubmitted = transition, False
        elif transition["action"] == "proposal.resubmitted":
            resubmitted = True
    if review is None or not resubmitted or "answers" not in review["payload"]:
        return None
    reviewed = review["payload"]["answers"]
    changes = {}
    for item in items:
        before = reviewed.get(item["key"], "")
        after = answers.get(item["pk"], "")
        changed = before.strip() != after.strip()
        changes[item["pk"]] = {
            "changed": changed,
            "segments": difference(before, after) if changed else [],
        }
    return {"review": review, "items": changes}
