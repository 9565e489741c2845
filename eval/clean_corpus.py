"""Clean samples: texts with no secret and no PII, full of the things that look like them.

Every template here is something people paste into a chat assistant every day - prose, meeting notes,
code, lockfiles, manifests, CSVs of product data, logs - seeded with UUIDs, git SHAs, digests, lockfile
integrity strings, base64 images, hex colours, version numbers, public keys and certificates,
placeholders (`os.environ["DB_PASSWORD"]`, `<your key here>`) and the documentation example keys. A
finding in any of them is a false positive. No template names a person, place or organisation.
"""

from __future__ import annotations

import base64
import random

from eval.corpus import Sample, render, slots_of
from eval.secret_formats import ALNUM, B64, HEX, LOWER, rand
from eval.secret_shapes import rbytes


def _uuid(r):
    h = rand(r, HEX, 32)
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{r.choice('89ab')}{h[17:20]}-{h[20:]}"


def _png_data_uri(r):
    # A real PNG signature and IHDR chunk, then random bytes: what an inlined icon looks like.
    data = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00" + rbytes(r, 180)
    return "data:image/png;base64," + base64.b64encode(data).decode()


def _ssh_public(r):
    blob = b"\x00\x00\x00\x0bssh-ed25519\x00\x00\x00\x20" + rbytes(r, 32)
    return "ssh-ed25519 " + base64.b64encode(blob).decode() + f" build@ci-runner-{r.randint(1, 9)}"


def _public_pem(r, label):
    body = base64.b64encode(b"\x30\x82\x01\x22\x30\x0d\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x01\x01\x05\x00" + rbytes(r, 270)).decode()
    lines = "\n".join(body[i:i + 64] for i in range(0, len(body), 64))
    return f"-----BEGIN {label}-----\n{lines}\n-----END {label}-----"


FILLERS = {
    "uuid": _uuid,
    "uuid2": _uuid,
    "sha": lambda r: rand(r, HEX, 40),
    "sha2": lambda r: rand(r, HEX, 40),
    "short": lambda r: rand(r, HEX, 7),
    "sha256": lambda r: rand(r, HEX, 64),
    "sha256b": lambda r: rand(r, HEX, 64),
    "integrity": lambda r: "sha512-" + base64.b64encode(rbytes(r, 64)).decode(),
    "integrity2": lambda r: "sha512-" + base64.b64encode(rbytes(r, 64)).decode(),
    "h1": lambda r: "h1:" + base64.b64encode(rbytes(r, 32)).decode(),
    "png": _png_data_uri,
    "color": lambda r: "#" + rand(r, HEX, 6),
    "color2": lambda r: "#" + rand(r, HEX, 3),
    "ver": lambda r: f"{r.randint(0, 12)}.{r.randint(0, 30)}.{r.randint(0, 20)}",
    "ver2": lambda r: f"{r.randint(0, 12)}.{r.randint(0, 30)}.{r.randint(0, 20)}",
    "build": lambda r: f"{r.randint(10, 11)}.0.{r.randint(10000, 22631)}.{r.randint(1, 3000)}",
    "reqid": lambda r: rand(r, HEX, 32),
    "trace": lambda r: rand(r, HEX, 32),
    "span": lambda r: rand(r, HEX, 16),
    "ms": lambda r: str(r.randint(2, 900)),
    "ms2": lambda r: str(r.randint(2, 900)),
    "n": lambda r: str(r.randint(2, 60)),
    "port": lambda r: str(r.choice((3000, 5432, 6379, 8000, 8080, 9090))),
    "price": lambda r: f"{r.randint(1, 300)}.{r.choice(('00', '49', '95', '99'))}",
    "sku": lambda r: f"SKU-{rand(r, 'ABCDEFGHJKLMNPQRSTUVWXYZ', 3)}-{r.randint(1000, 9999)}",
    "order16": lambda r: _not_luhn(r, 16),
    "ts": lambda r: f"2024-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}T{r.randint(0, 23):02d}:{r.randint(0, 59):02d}:{r.randint(0, 59):02d}Z",
    "epoch": lambda r: str(r.randint(1_700_000_000, 1_760_000_000)),
    "digest": lambda r: "sha256:" + rand(r, HEX, 64),
    "pubkey": _ssh_public,
    "publicpem": lambda r: _public_pem(r, "PUBLIC KEY"),
    "cert": lambda r: _public_pem(r, "CERTIFICATE"),
    "b64blob": lambda r: base64.b64encode(("lorem ipsum dolor sit amet " * r.randint(2, 5)).encode()).decode(),
    "slug": lambda r: rand(r, LOWER, 8),
    "nonce": lambda r: rand(r, ALNUM, 22),
    "etag": lambda r: '"' + rand(r, HEX, 32) + '"',
    "pct": lambda r: str(r.randint(1, 99)),
    "mbytes": lambda r: str(r.randint(20, 4000)),
    "b64short": lambda r: rand(r, B64, 24),
}


def _not_luhn(r, n):
    from eval.checksums import luhn_valid

    while True:
        value = str(r.randint(1, 9)) + "".join(r.choice("0123456789") for _ in range(n - 1))
        if not luhn_valid(value):
            return value


PROSE = (
    "The new onboarding flow cut the time to first value from three days to under an hour. Most of the gain "
    "came from removing the mandatory configuration step and shipping sensible defaults instead.",
    "When you write a postmortem, describe what happened, what the impact was, and what you will change. "
    "Avoid blame: the goal is to make the system safer, not to find someone to punish.",
    "Sourdough needs patience more than skill. Feed the starter the night before, mix the dough in the "
    "morning, and let time do the work. A longer cold proof gives a more open crumb.",
    "Our quarterly goals are to reduce checkout latency, retire the legacy billing service and raise test "
    "coverage in the payments module above eighty percent.",
    "Caching is a trade-off between freshness and cost. Before adding a cache, measure where the time goes; "
    "often a missing index explains most of the latency.",
    "The proposal is to move the nightly batch to an event-driven pipeline. Jobs would run when data "
    "arrives instead of on a fixed schedule, and failures would be retried per record.",
    "Please summarise the following paragraph in two sentences and keep the technical terms unchanged.",
    "Can you rewrite this cover letter so it sounds more confident but not arrogant? Keep it under three hundred words.",
    "Write a unit test for the function below. It should cover the empty input, a single element and a list with duplicates.",
    "What is the difference between a process and a thread, and when would you choose one over the other?",
    "Explain like I'm five why the sky is blue and sunsets are red.",
    "The team agreed to freeze features two weeks before the release and to spend that time on bug fixes, "
    "documentation and load testing.",
    "Translate the following into plain English for a customer newsletter: the service will undergo scheduled "
    "maintenance and some requests may be delayed.",
    "Good documentation answers three questions: what is this, how do I use it, and what do I do when it breaks.",
    "Compare the pros and cons of monorepos versus many small repositories for a team of twenty engineers.",
)

TEMPLATES = {
    "prose": "{{p1}}\n\n{{p2}}",
    "prose-question": "{{p1}} Also, version {{ver}} of our app added dark mode - how should I announce it?",
    "meeting-notes": ("Weekly sync - notes\n\n1. Release {{ver}} is on track; {{n}} open bugs, none blocking.\n2. Error rate "
                      "dropped to 0.{{n}}% after the retry fix (commit {{short}}).\n3. Action items: update the runbook, "
                      "review the dashboard thresholds, plan the load test.\n"),
    "retro": "Retro\nWent well: deploys under {{n}} minutes, fewer pages.\nTo improve: flaky tests ({{pct}}% of CI reruns), slow reviews.\nActions: quarantine flaky tests, review rotation.\n",
    "python-code": ("import os\nimport uuid\n\nDB_PASSWORD = os.environ[\"DB_PASSWORD\"]\nAPI_KEY = os.getenv(\"API_KEY\", \"\")\n\n\n"
                    "def new_order_id() -> str:\n    return str(uuid.uuid4())\n\n\ndef connect():\n    return Database(host=\"localhost\", "
                    "port={{port}}, password=DB_PASSWORD)\n\n\nDEFAULT_ORDER = \"{{uuid}}\"\n"),
    "python-getpass": "import getpass\n\npassword = getpass.getpass(\"Password: \")\ntoken = read_token_from_keyring(service=\"deploy\")\nprint(f\"connected in {{ms}} ms\")\n",
    "js-code": ("export function formatPrice(cents) {\n  return (cents / 100).toFixed(2);\n}\n\nconst theme = {\n  primary: '{{color}}',\n"
                "  accent: '{{color2}}',\n  radius: {{n}},\n};\n\nconst apiKey = process.env.API_KEY;\n"),
    "go-code": ("package store\n\nimport \"os\"\n\n// Open connects with the password from the environment.\nfunc Open() (*DB, error) {\n"
                "\tpassword := os.Getenv(\"DB_PASSWORD\")\n\treturn connect(\"localhost:{{port}}\", password)\n}\n"),
    "sql": "SELECT o.id, o.total, o.created_at\nFROM orders o\nWHERE o.status = 'paid' AND o.created_at > '2024-01-01'\nORDER BY o.total DESC\nLIMIT {{n}};\n",
    "env-placeholders": ("# copy to .env and fill in\nAPI_KEY=<your key here>\nDB_PASSWORD=\nSECRET_KEY=changeme-in-production\n"
                         "STRIPE_KEY=your_stripe_key_here\nPORT={{port}}\nDEBUG=true\n"),
    "aws-docs-example": ("[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n"
                         "region = us-west-2\n"),
    "github-actions": ("name: ci\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@{{sha}}\n"
                       "      - run: npm ci && npm test\n        env:\n          NPM_TOKEN: ${{ secrets.NPM_TOKEN }}\n          API_KEY: ${{ secrets.API_KEY }}\n"),
    "helm-values": "image:\n  repository: registry.local/api\n  tag: \"{{ver}}\"\n  digest: {{digest}}\nsecretRef: api-credentials\npassword: \"{{ .Values.db.password }}\"\n",
    "k8s-deployment": ("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  replicas: {{n}}\n  template:\n    spec:\n"
                       "      containers:\n        - name: api\n          image: registry.local/api@{{digest}}\n          env:\n"
                       "            - name: DB_PASSWORD\n              valueFrom:\n                secretKeyRef:\n                  name: db\n                  key: password\n"),
    "package-lock": ("\"node_modules/left-pad\": {\n  \"version\": \"{{ver}}\",\n  \"resolved\": \"https://registry.npmjs.org/left-pad/-/left-pad-{{ver}}.tgz\",\n"
                     "  \"integrity\": \"{{integrity}}\"\n},\n\"node_modules/ms\": {\n  \"version\": \"{{ver2}}\",\n  \"integrity\": \"{{integrity2}}\"\n}\n"),
    "go-sum": "golang.org/x/text v{{ver}} {{h1}}\ngolang.org/x/text v{{ver}}/go.mod {{h1}}\n",
    "requirements-hashes": "requests=={{ver}} \\\n    --hash=sha256:{{sha256}} \\\n    --hash=sha256:{{sha256b}}\n",
    "git-log": ("commit {{sha}}\nDate:   Tue Mar 5 10:12:01 2024 +0000\n\n    Bump dependencies\n\n"
                "commit {{sha2}}\nMerge: {{short}} {{short}}\n\n    Merge pull request #{{n}}\n"),
    "docker-output": ("$ docker pull registry.local/api:{{ver}}\n{{ver}}: Pulling from api\nDigest: {{digest}}\nStatus: Downloaded newer image\n"
                      "$ docker ps\nCONTAINER ID   IMAGE      STATUS\n{{short}}a1b2c   api:{{ver}}  Up {{n}} minutes\n"),
    "css": ".button {\n  background: {{color}};\n  color: {{color2}};\n  border-radius: {{n}}px;\n}\n.icon {\n  background-image: url({{png}});\n}\n",
    "html-img": "<p>Status:</p>\n<img alt=\"ok\" width=\"16\" height=\"16\" src=\"{{png}}\">\n",
    "product-csv": ("sku,name,price,qty,colour\n{{sku}},Steel water bottle,{{price}},{{n}},{{color}}\n{{sku}},Canvas tote bag,{{price}},{{n}},{{color2}}\n"
                    "{{sku}},Desk lamp,{{price}},{{n}},black\n{{sku}},Notebook A5,{{price}},{{n}},{{color}}\n"),
    "inventory-csv": "id,item,warehouse_bin,reorder_level,last_count\n{{n}},bolts M6,A-{{n}},{{n}},{{n}}\n{{n}},washers,B-{{n}},{{n}},{{n}}\n{{n}},nuts M6,C-{{n}},{{n}},{{n}}\n",
    "access-log": ("{{ts}} INFO http GET /api/v1/orders status=200 duration_ms={{ms}} request_id={{reqid}}\n"
                   "{{ts}} INFO http POST /api/v1/cart status=201 duration_ms={{ms2}} request_id={{uuid}}\n"
                   "{{ts}} WARN http GET /api/v1/search status=429 duration_ms={{ms}} trace_id={{trace}} span_id={{span}}\n"),
    "app-log": ("[{{ts}}] worker-{{n}} processed batch {{uuid}} in {{ms}}ms (etag {{etag}})\n"
                "[{{ts}}] cache hit ratio {{pct}}%, heap {{mbytes}} MB\n[{{ts}}] job {{uuid2}} finished\n"),
    "stack-trace": ("Traceback (most recent call last):\n  File \"/app/handlers.py\", line {{n}}, in handle\n    order = repo.get(order_id)\n"
                    "  File \"/app/repo.py\", line {{n}}, in get\n    raise NotFound(order_id)\nNotFound: order {{uuid}} not found (request {{reqid}})\n"),
    "java-trace": ("java.lang.NullPointerException: Cannot invoke \"Order.total()\" because \"order\" is null\n\tat shop.Checkout.pay(Checkout.java:{{n}})\n"
                   "\tat shop.Api.handle(Api.java:{{n}})\n\tat java.base/java.lang.Thread.run(Thread.java:{{n}})\n"),
    "ssh-public-key": "Add this to authorized_keys on the build host:\n{{pubkey}}\n",
    "public-pem": "Verify webhooks with this public key:\n{{publicpem}}\n",
    "certificate": "Server certificate chain (public):\n{{cert}}\n",
    "semver-changelog": "## {{ver}}\n- Fixed rounding in invoices\n- Bumped parser to {{ver2}}\n- Windows build {{build}} is now supported\n",
    "base64-config": "# base64 of a sample text fixture, not a secret\nfixture: {{b64blob}}\nchecksum: {{sha256}}\n",
    "timestamps": "created={{epoch}} updated={{epoch}} version={{ver}} shard={{n}} nonce_len={{n}}\n",
    "order-numbers": "Your tracking reference is {{order16}} and the parcel weighs {{n}} kg. Expected in {{n}} days.\n",
    "placeholder-json": '{\n  "apiKey": "YOUR_API_KEY",\n  "password": "********",\n  "token": "<token>",\n  "endpoint": "https://api.local/v1"\n}\n',
    "docs-curl": "curl -H \"Authorization: Bearer $API_TOKEN\" https://api.local/v1/items?page={{n}}\n",
    "terraform-vars": 'variable "db_password" {\n  type      = string\n  sensitive = true\n}\n\nresource "db" "main" {\n  password = var.db_password\n  size     = {{n}}\n}\n',
    "regex-question": "Why does this regex not match hex colours like {{color}}? /^#([0-9a-f]{3}){1,2}$/ - and how do I allow upper case?",
    "math": "Solve for x: {{n}}x + {{n}} = {{n}}. Then compute the derivative of x^{{n}} + 3x.",
    "redacted-examples": ("# README - configuration\nGITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\nSTRIPE_KEY=sk_live_XXXXXXXXXXXXXXXXXXXXXXXX\n"
                          "SLACK_BOT_TOKEN=xoxb-your-token-here\nAWS_ACCESS_KEY_ID=AKIAXXXXXXXXXXXXXXXX\nDB_PASSWORD=<redacted>\n"
                          "OPENAI_API_KEY=sk-...\n# paste your deploy key between the markers:\n-----BEGIN OPENSSH PRIVATE KEY-----\n"
                          "<your key>\n-----END OPENSSH PRIVATE KEY-----\nPORT={{port}}\n"),
    "keyword-lookalikes": ('cache_key = f"orders:v2:{order_id}"\ntoken_count = {{n}}\ntokenizer = "cl100k_base"\n'
                           'secret_name = "db-credentials"\npassword_min_length = {{n}}\npassword_policy = "strong"\n'
                           'api_version = "2024-06-01"\nkey_id = "{{uuid}}"\nsession_timeout = {{ms}}\n'),
    "etag-headers": "HTTP/1.1 200 OK\nContent-Type: application/json\nETag: {{etag}}\nX-Request-Id: {{uuid}}\nCache-Control: max-age={{n}}\n",
}


def clean_samples(seed: int, count: int) -> list[Sample]:
    """`count` distinct texts (a template with nothing random in it contributes once)."""
    names = sorted(TEMPLATES)
    samples, seen = [], set()
    i = 0
    while len(samples) < count:
        i += 1
        rng = random.Random(f"{seed}:clean:{i}")
        name = names[i % len(names)]
        template = TEMPLATES[name]
        values = {}
        paragraphs = rng.sample(PROSE, 2)
        for slot in slots_of(template):
            if slot in ("p1", "p2"):
                values[slot] = paragraphs[int(slot[1]) - 1]
            else:
                values[slot] = FILLERS[slot](rng)
        sample = render(template, values).sample(f"clean-{len(samples):05d}", "clean", name)
        if sample.text not in seen:
            seen.add(sample.text)
            samples.append(sample)
    return samples
