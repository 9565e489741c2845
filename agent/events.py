"""Anonymised events (design.md "Events"; shared-rules/schemas/event.schema.json).

An event says what happened, never what was written: counts per type and rule, the content's length, and,
at the policy's "fingerprints" detail level, keyed fingerprints (HMAC-SHA256) of the content and of each
matched value, so the server can see that the same value leaked twice without learning it. The user is a
keyed pseudonym of the OS user name.

The summary needs the text, so it is computed in the classifier worker next to the scan; the event is
assembled in the daemon, which adds ids, time, versions and later the user's action.
"""

from __future__ import annotations

import getpass
import hashlib
import hmac
import uuid
from collections import Counter
from datetime import datetime, timezone

EVENT_SCHEMA_VERSION = 1
DETAIL_LEVELS = ("minimal", "counts", "fingerprints")
USER_ACTIONS = ("cancelled", "accepted_redaction", "overrode")
# 128 bits: enough to correlate repeats, short enough to keep events small.
FINGERPRINT_HEX_CHARS = 32
MAX_VALUE_FINGERPRINTS = 200


def _subkey(key: bytes, purpose: str) -> bytes:
    # One organisation key, separate derived keys per use, so a pseudonym never equals a fingerprint.
    return hmac.new(key, b"promptfence/" + purpose.encode(), hashlib.sha256).digest()


def pseudonym(key: bytes, user_name: str | None = None) -> str:
    user_name = user_name if user_name is not None else getpass.getuser()
    return hmac.new(_subkey(key, "pseudonym"), user_name.encode("utf-8"), hashlib.sha256).hexdigest()


def fingerprint(key: bytes, value: str) -> str:
    digest = hmac.new(_subkey(key, "fingerprint"), value.encode("utf-8", "surrogatepass"), hashlib.sha256)
    return digest.hexdigest()[:FINGERPRINT_HEX_CHARS]


def summarise(text: str, findings: list[dict], detail: str, key: bytes) -> dict:
    """The content-free part of an event. `findings` carry code-point offsets into `text`."""
    if detail not in DETAIL_LEVELS:
        detail = "counts"
    summary: dict = {"finding_count": len(findings)}
    if detail == "minimal":
        return summary
    summary["counts"] = {
        "types": dict(Counter(f["type"] for f in findings)),
        "rules": dict(Counter(f["rule"] for f in findings)),
    }
    summary["content_length"] = len(text)
    if detail == "fingerprints":
        values = {}
        for f in findings:
            mark = fingerprint(key, f["type"] + "\0" + text[f["start"] : f["end"]])
            values.setdefault((f["type"], f["rule"], mark), None)
        summary["fingerprints"] = {
            "content": fingerprint(key, text),
            "values": [
                {"type": t, "rule": r, "fingerprint": m} for (t, r, m) in list(values)[:MAX_VALUE_FINGERPRINTS]
            ],
        }
    return summary


def new_event(*, device_id: str, user: str, site: str, channel: str, decision: str, summary: dict,
              policy_version: str, agent_version: str, extension_version: str | None, latency_ms: float) -> dict:
    event = {
        "schema_version": EVENT_SCHEMA_VERSION,
        "event_id": str(uuid.uuid4()),
        "time": datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "device_id": device_id,
        "user": user,
        "site": site,
        "channel": channel,
        "decision": decision,
        "user_action": None,
        "justification": None,
        "finding_count": summary["finding_count"],
        "policy_version": policy_version,
        "agent_version": agent_version,
        "extension_version": extension_version,
        "latency_ms": round(latency_ms, 2),
    }
    for optional in ("counts", "content_length", "fingerprints"):
        if optional in summary:
            event[optional] = summary[optional]
    return event
