"""Secret samples: every format of secret_formats.py placed in the places people paste credentials from
(.env, YAML, JSON, curl, Python/JS/Go, shell history, stack traces, chat, docker-compose, Kubernetes
manifests, CI logs, Terraform, Dockerfiles), plus key files, JWTs, connection strings, passwords, generic
keys beside a keyword and webhook URLs.

Labelling rule: the span is the credential itself - the token, the whole key block from its BEGIN line
to its END line (or a PuTTY file from its first line to its MAC), the password inside a URL or a
connection string (not the whole URL), the base64 value of a Kubernetes `data` entry, the whole webhook
URL. Everything else in the text is not secret.
"""

from __future__ import annotations

import random

from eval import secret_shapes as shapes
from eval.corpus import SECRET, Labelled, Piece, Sample, TextBuilder, render
from eval.secret_formats import FORMATS, SecretFormat


def _camel(var: str) -> str:
    head, *rest = var.lower().split("_")
    return head + "".join(part.capitalize() for part in rest)


def _http_parts(fmt: SecretFormat) -> tuple[str, str, str]:
    """(curl options before the URL, query suffix, header line) for the format's way of authenticating."""
    if fmt.header.startswith("query:"):
        return "", f"?{fmt.header[6:]}=", ""
    if fmt.header.startswith("basic:"):
        return f"-u {fmt.header[6:]}:", "", ""
    return "", "", fmt.header


def token_context(name: str, fmt: SecretFormat, value: Labelled, rng: random.Random) -> TextBuilder:
    """Place one token in the context called `name`."""
    var, lower, camel = fmt.var, fmt.var.lower(), _camel(fmt.var)
    basic_user, query, header = _http_parts(fmt)
    values: dict[str, Piece] = {"v": value, "var": var, "lower": lower, "camel": camel,
                                "req": "%032x" % rng.getrandbits(128), "n": str(rng.randint(100, 999))}
    if name == "curl":
        if basic_user:
            template = "$ curl -s " + basic_user + "{{v}} https://api.service.test/v1/messages -d 'to=ops'\n"
        elif query:
            template = "curl 'https://api.service.test/v2/items" + query + "{{v}}&limit=50'\n"
        else:
            before, _, after = header.partition("{}")
            template = f'curl -s -X GET "https://api.service.test/v1/me" \\\n  -H "{before}{{{{v}}}}{after}" \\\n  -H "Accept: application/json"\n'
        return render(template, values)
    if name == "http-code":
        if header and not basic_user:
            before, _, after = header.partition("{}")
            key, _, prefix = before.partition(": ")
            template = ("import requests\n\nresp = requests.get(\n    \"https://api.service.test/v1/projects\",\n"
                        f"    headers={{\"{key}\": \"{prefix}{{{{v}}}}{after}\"}},\n    timeout=10,\n)\nresp.raise_for_status()\n")
        else:
            template = 'import os\n\nos.environ["{{var}}"] = "{{v}}"\nclient = ServiceClient.from_env()\n'
        return render(template, values)
    templates = {
        "env": "# {{lower}} for production\nNODE_ENV=production\nPORT=8080\n{{var}}={{v}}\nLOG_LEVEL=info\n",
        "env-quoted": 'export {{var}}="{{v}}"\nexport REGION=eu-west-1\n',
        "shell-history": "  {{n}}  cd ~/src/billing\n  {{n}}  export {{var}}={{v}}\n  {{n}}  npm run deploy -- --env prod\n",
        "yaml": "service:\n  name: billing-worker\n  replicas: 3\n  credentials:\n    {{lower}}: {{v}}\n  timeout_seconds: 30\n",
        "json": '{\n  "environment": "production",\n  "{{camel}}": "{{v}}",\n  "retries": 3\n}\n',
        "python": 'import os\n\n# TODO move to the vault before release\n{{var}} = "{{v}}"\n\ndef client():\n    return Client(token={{var}})\n',
        "javascript": "const config = {\n  baseUrl: 'https://api.service.test',\n  {{camel}}: '{{v}}',\n};\nmodule.exports = config;\n",
        "go": 'package main\n\nconst {{camel}} = "{{v}}"\n\nfunc main() {\n\tc := NewClient({{camel}})\n\tc.Run()\n}\n',
        "stack-trace": ("Traceback (most recent call last):\n  File \"/app/worker.py\", line 88, in sync\n    resp = session.post(url, "
                        "data=payload)\n  File \"/app/client.py\", line 41, in post\n    raise AuthError(f\"rejected {{lower}}={self.token}\")\n"
                        "AuthError: rejected {{lower}}={{v}}\n"),
        "slack-message": "hey, for the staging deploy use this {{var}}: {{v}} - I'll rotate it after the demo, don't commit it pls",
        "docker-compose": ("version: \"3.9\"\nservices:\n  api:\n    image: registry.corp.test/api:1.4.2\n    environment:\n"
                           "      - NODE_ENV=production\n      - {{var}}={{v}}\n    ports:\n      - \"8080:8080\"\n"),
        "k8s-stringdata": ("apiVersion: v1\nkind: Secret\nmetadata:\n  name: api-credentials\ntype: Opaque\nstringData:\n"
                           "  {{lower}}: \"{{v}}\"\n"),
        "ci-log": ("2024-03-02T10:14:07.5512Z ##[group]Run ./scripts/deploy.sh\n2024-03-02T10:14:07.5519Z + echo "
                   "\"{{var}}={{v}}\" >> .env\n2024-03-02T10:14:08.0134Z deploy: uploading artefacts (12 files)\n"),
        "github-actions": "jobs:\n  deploy:\n    runs-on: ubuntu-latest\n    env:\n      {{var}}: {{v}}\n    steps:\n      - uses: actions/checkout@v4\n",
        "terraform": 'provider "service" {\n  endpoint = "https://api.service.test"\n  {{lower}} = "{{v}}"\n}\n',
        "dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nENV {{var}}={{v}}\nCOPY . .\nCMD [\"python\", \"main.py\"]\n",
        "properties": "app.name=billing\n{{lower}}={{v}}\napp.threads=8\n",
        "xml-config": '<configuration>\n  <appSettings>\n    <add key="{{var}}" value="{{v}}" />\n  </appSettings>\n</configuration>\n',
        "powershell": '$env:{{var}} = "{{v}}"\n.\\deploy.ps1 -Environment prod\n',
        "bare": "{{v}}\n",
    }
    return render(templates[name], values)


TOKEN_CONTEXTS = ("env", "env-quoted", "shell-history", "yaml", "json", "python", "javascript", "go", "curl",
                  "http-code", "stack-trace", "slack-message", "docker-compose", "k8s-stringdata", "ci-log",
                  "github-actions", "terraform", "dockerfile", "properties", "xml-config", "powershell", "bare")
# A value on its own line, with nothing around it: only formats that identify themselves go there.
SELF_IDENTIFYING_ONLY = ("bare",)


def block_context(name: str, block: Labelled, rng: random.Random) -> TextBuilder:
    """Place a multi-line key file where people paste them from."""
    if name == "bare":
        return render("{{b}}\n", {"b": block})
    if name == "cat":
        return render("$ cat ~/.ssh/id_deploy\n{{b}}\n$ chmod 600 ~/.ssh/id_deploy\n", {"b": block})
    if name == "yaml-block":
        indented = block.text.replace("\n", "\n    ")
        return render("deploy:\n  host: bastion.corp.test\n  ssh_private_key: |\n    {{b}}\n  user: deploy\n",
                      {"b": Labelled(indented, block.type, block.fmt)})
    if name == "json-escaped":
        escaped = block.text.replace("\n", "\\n")
        return render('{\n  "name": "signing-key",\n  "key": "{{b}}"\n}\n', {"b": Labelled(escaped, block.type, block.fmt)})
    if name == "python-string":
        return render('SIGNING_KEY = """{{b}}\n"""\n\nsigner = Signer.from_pem(SIGNING_KEY)\n', {"b": block})
    if name == "terraform-heredoc":
        return render('resource "tls_cert" "api" {\n  private_key = <<EOT\n{{b}}\nEOT\n}\n', {"b": block})
    return render("here's the deploy key you asked for:\n```\n{{b}}\n```\nlet me know if ssh still fails", {"b": block})


BLOCK_CONTEXTS = ("bare", "cat", "yaml-block", "json-escaped", "python-string", "terraform-heredoc", "chat")

JWT_CONTEXTS = (
    "Authorization: Bearer {{t}}\n",
    "Cookie: theme=dark; session={{t}}; lang=en\n",
    '{\n  "access_token": "{{t}}",\n  "token_type": "Bearer",\n  "expires_in": 3600\n}\n',
    "localStorage.setItem('id_token', '{{t}}');\n",
    "why does the api reject this token? {{t}} it worked yesterday",
    "const ACCESS_TOKEN = \"{{t}}\";\n",
)

URL_CONTEXTS = (
    "{{var}}={{u}}\n",
    "database:\n  url: {{u}}\n  pool_size: 10\n",
    'engine = create_engine("{{u}}")\n',
    "$ psql \"{{u}}\" -c 'select count(*) from orders'\n",
    "can someone check why this fails? {{u}} gives a timeout from the worker",
    '{\n  "{{var}}": "{{u}}"\n}\n',
    "export {{var}}='{{u}}'\n",
)

BENIGN_ENV = ("NODE_ENV=production", "PORT=8080", "LOG_LEVEL=debug", "DEBUG=false", "TZ=UTC",
              "DATABASE_HOST=db.internal", "CACHE_TTL=300", "FEATURE_FLAGS=beta,new-ui", "WORKERS=4",
              "S3_BUCKET=acme-test-artifacts", "REGION=eu-central-1", "SENTRY_ENVIRONMENT=staging")


def _token_samples(seed: int, per_format: int) -> list[Sample]:
    samples = []
    for fi, fmt in enumerate(FORMATS):
        rng = random.Random(f"{seed}:secret:{fmt.name}")
        contexts = [c for c in TOKEN_CONTEXTS if not (fmt.needs_keyword and c in SELF_IDENTIFYING_ONLY)]
        rng.shuffle(contexts)
        for k in range(per_format):
            value = Labelled(fmt.make(rng), SECRET, fmt.name)
            context = contexts[k % len(contexts)]
            builder = token_context(context, fmt, value, rng)
            samples.append(builder.sample(f"secret-{fmt.name}-{k}", "secret", context))
    return samples


def _block_samples(seed: int, per_format: int) -> list[Sample]:
    samples = []
    for name, make in shapes.KEY_BLOCKS.items():
        rng = random.Random(f"{seed}:key:{name}")
        for k in range(per_format):
            context = BLOCK_CONTEXTS[(k + len(name)) % len(BLOCK_CONTEXTS)]
            block = Labelled(make(rng), SECRET, name)
            samples.append(block_context(context, block, rng).sample(f"secret-{name}-{k}", "secret", context))
    return samples


def _structured_samples(seed: int, count: int) -> list[Sample]:
    samples = []
    rng = random.Random(f"{seed}:structured")
    for k in range(count):
        which = k % 8
        if which == 0:
            token, fmt = shapes.jwt(rng)
            template = JWT_CONTEXTS[k // 8 % len(JWT_CONTEXTS)]
            builder, source = render(template, {"t": Labelled(token, SECRET, fmt)}), "jwt"
        elif which in (1, 2):
            pieces, var = shapes.db_url(rng) if which == 1 else shapes.basic_auth_url(rng)
            template = URL_CONTEXTS[k // 8 % len(URL_CONTEXTS)]
            builder, source = render(template, {"u": pieces, "var": var}), "url"
        elif which == 3:
            source, template = shapes.PASSWORD_CONTEXTS[k // 8 % len(shapes.PASSWORD_CONTEXTS)]
            builder = render(template, {"pw": Labelled(shapes.password(rng), SECRET, source)})
        elif which == 4:
            template, value, fmt = shapes.generic_key(rng)
            builder, source = render(template, {"key": Labelled(value, SECRET, fmt)}), "generic"
        elif which == 5:
            url, var, fmt = shapes.webhook(rng)
            template = URL_CONTEXTS[k // 8 % len(URL_CONTEXTS)]
            builder, source = render(template, {"u": Labelled(url, SECRET, fmt), "var": var}), "webhook"
        elif which == 6:
            piece = (shapes.service_account_json(rng), shapes.azure_connection_string(rng),
                     shapes.k8s_secret_data(rng))[k // 8 % 3]
            if k // 8 % 3 == 1:
                piece = ("AZURE_STORAGE_CONNECTION_STRING=\"", piece, "\"\n")
            builder, source = TextBuilder().add(piece), "structured-file"
        else:
            builder, source = _mixed_env(rng), "mixed-env"
        samples.append(builder.sample(f"secret-s{k:04d}", "secret", source))
    return samples


def _mixed_env(rng: random.Random) -> TextBuilder:
    """A .env file with several credentials among ordinary settings, as real ones are."""
    builder = TextBuilder()
    lines: list = [line + "\n" for line in rng.sample(BENIGN_ENV, 4)]
    for fmt in rng.sample([f for f in FORMATS if not f.needs_keyword], 3):
        lines.append((f"{fmt.var}=", Labelled(fmt.make(rng), SECRET, fmt.name), "\n"))
    pieces, var = shapes.db_url(rng)
    lines.append((f"{var}=", pieces, "\n"))
    rng.shuffle(lines)
    builder.add("# generated by setup.sh - do not commit\n")
    for line in lines:
        builder.add(line)
    return builder


def secret_samples(seed: int, per_format: int = 6, per_block: int = 7, structured: int = 400) -> list[Sample]:
    return _token_samples(seed, per_format) + _block_samples(seed, per_block) + _structured_samples(seed, structured)
