"""Made-up test data shared by the end-to-end tests; none of it is a live credential or a real person."""

import random

# The SPEC.md example key id: right shape, invented.
AWS_KEY = "AKIAZ7Q3WXYV4TRS2P5K"
EMAIL = "jane.doe@northwind-traders.com"
EMAIL_PLACEHOLDER = "<EMAIL_1>"

# Two lines, so "untouched" covers the editors' paragraph handling too.
CLEAN = "Summarise these meeting notes in three bullet points:\nthe launch moved to May and the budget is unchanged."
WITH_AWS_KEY = f"Deploy step failing, env file has AWS_ACCESS_KEY_ID={AWS_KEY} set."
WITH_EMAIL = f"Please draft a reply to {EMAIL} about the late invoice."
WITH_EMAIL_REDACTED = WITH_EMAIL.replace(EMAIL, EMAIL_PLACEHOLDER)
# A document marking: the default policy warns on it.
MARKED = "CONFIDENTIAL draft of the third-quarter roadmap for the board."
MARKED_BODY = "third-quarter roadmap"

# A secret in a file as it would be committed by mistake.
ENV_FILE_WITH_AWS_KEY = f"# deploy settings\nAWS_REGION=eu-west-1\nAWS_ACCESS_KEY_ID={AWS_KEY}\n"
CLEAN_FILE = "Release checklist\n- run the migrations\n- tag the build\n- update the changelog\n"
# The first bytes of a PNG image (signature and IHDR chunk): not text, so never scanned.
PNG_BYTES = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489")

_SUBJECTS = ("the build step", "the cache layer", "this query", "the retry loop", "the parser", "the upload form",
             "the release branch", "the test suite", "the worker pool", "the config loader", "each request")
_VERBS = ("times out after", "slows down under", "fails on", "recovers from", "logs a warning for", "skips",
          "needs a fix for", "handles", "retries on", "ignores")
_OBJECTS = ("large inputs", "empty lines", "a missing header", "slow disks", "nested folders", "long file names",
            "a full queue", "stale entries", "duplicate keys", "unicode text", "a closed socket", "partial writes")
_CODE = ("def total(items):", "    return sum(item.weight for item in items)", "for row in rows:",
         "    if not row.strip():", "        continue", 'result = parse(line).get("value", default)',
         "const ready = queue.length === 0 && !busy;", 'if (error) throw new Error("parse failed");',
         "SELECT name, weight FROM items WHERE weight > 10 ORDER BY weight;", "timeout = 30", "retries = 3")


def mixed_clean_text(chars: int) -> str:
    """About `chars` characters of engineering prose and code lines, the same every run, with nothing in
    it the default policy acts on: a paste big enough that the real scan takes well over a second.
    No blank lines (ProseMirror folds them), so the editor's text equals the pasted text."""
    draw = random.Random(7)
    lines, size = [], 0
    while size < chars:
        if draw.random() < 0.6:
            line = (f"{draw.choice(_SUBJECTS)} {draw.choice(_VERBS)} {draw.choice(_OBJECTS)}, so "
                    f"{draw.choice(_SUBJECTS)} {draw.choice(_VERBS)} {draw.choice(_OBJECTS)}.").capitalize()
        else:
            line = draw.choice(_CODE)
        lines.append(line)
        size += len(line) + 1
    return "\n".join(lines)
