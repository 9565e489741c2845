"""The analyzer opens no network connection: Presidio's predefined recognizers (tldextract's Public Suffix
List fetch) are not loaded, spaCy never downloads, and tldextract itself is set offline."""

import json
import subprocess
import sys
import textwrap

# Runs in a fresh interpreter so the audit hook sees every import and every socket from the start.
PROBE = textwrap.dedent(
    """
    import json, sys

    attempts = []

    def audit(event, args):
        if event in ("socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "socket.sendto",
                     "urllib.Request", "http.client.connect"):
            attempts.append(event)
            raise RuntimeError("network access during analysis: " + event)

    sys.addaudithook(audit)

    from promptfence.agent.analyzer import Analyzer, DetectorSettings
    from promptfence.agent.rules import load_json, shared_rules_dir

    base = shared_rules_dir()
    policy = load_json(base / load_json(base / "index.json")["default_policy"])
    analyzer = Analyzer(DetectorSettings.from_policy(policy))
    text = (
        "Mail anna.berg@gmail.com or ops@corp.example.co.uk, docs at https://wiki.acme-intranet.io/page?id=3 "
        "and http://192.168.1.20:8080/admin. Margaret Okonkwo from Brightline Solutions is in Lisbon.\\n"
        "postgres://app:S3cretPassw0rd@db.acme-intranet.io:5432/billing\\n"
    )
    findings = analyzer.analyze(text)

    # Anything that imported tldextract (presidio_analyzer does) must not fetch the suffix list either.
    import tldextract
    parts = tldextract.extract("https://shop.example.co.uk/basket")

    print(json.dumps({
        "attempts": attempts,
        "types": sorted({f.type for f in findings}),
        "suffix": parts.suffix,
    }))
    """
)


def test_when_text_with_emails_and_urls_is_analysed_then_no_socket_is_opened():
    completed = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=300)
    assert completed.returncode == 0, completed.stderr[-2000:]
    report = json.loads(completed.stdout.strip().splitlines()[-1])
    assert report["attempts"] == []
    # The analysis really ran: rules and NER found their things without the network.
    assert {"EMAIL_ADDRESS", "PERSON"} <= set(report["types"])
    assert report["suffix"] == "co.uk"  # from tldextract's bundled snapshot
