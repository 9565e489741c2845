"""Secrets with structure: private key files, JWTs, connection strings, URLs with credentials, passwords
and generic keys next to a keyword.

Key files are real-shaped: the base64 body decodes to the DER (or OpenSSH/OpenPGP/PuTTY) structure the
format defines, with random bytes where the key material goes, so a detector that inspects the body
sees what it would see in a real key. Each generator returns a `Labelled` (or a tuple of pieces when
only part of the text is the secret) with the type SECRET and the format's name.
"""

from __future__ import annotations

import base64
import json
import random
import struct
import textwrap

from eval import checksums
from eval.corpus import SECRET, Labelled
from eval.secret_formats import ALNUM, B64URL, HEX, LOWER, UPPER, DIGITS, b64url_json, rand


def rbytes(rng: random.Random, n: int) -> bytes:
    return bytes(rng.randrange(256) for _ in range(n))


# --- DER (ITU-T X.690), just enough to build key structures -------------------------------------------


def der(tag: int, content: bytes) -> bytes:
    n = len(content)
    if n < 0x80:
        length = bytes([n])
    else:
        raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
        length = bytes([0x80 | len(raw)]) + raw
    return bytes([tag]) + length + content


def der_seq(*items: bytes) -> bytes:
    return der(0x30, b"".join(items))


def der_int(value: bytes | int) -> bytes:
    if isinstance(value, int):
        value = value.to_bytes(max(1, (value.bit_length() + 7) // 8), "big")
    if value[0] & 0x80:  # keep it positive
        value = b"\0" + value
    return der(0x02, value)


def der_oid(dotted: str) -> bytes:
    parts = [int(p) for p in dotted.split(".")]
    body = bytearray([40 * parts[0] + parts[1]])
    for part in parts[2:]:
        chunk = [part & 0x7F]
        part >>= 7
        while part:
            chunk.append(0x80 | (part & 0x7F))
            part >>= 7
        body.extend(reversed(chunk))
    return der(0x06, bytes(body))


def _big(rng: random.Random, n: int) -> bytes:
    return bytes([0x80 | rng.randrange(128)]) + rbytes(rng, n - 1)


def rsa_pkcs1(rng: random.Random, bits: int = 2048) -> bytes:
    n, half = bits // 8, bits // 16
    return der_seq(der_int(0), der_int(_big(rng, n)), der_int(65537), der_int(_big(rng, n)),
                   *(der_int(_big(rng, half)) for _ in range(5)))


def pem(label: str, body: bytes, headers: str = "") -> str:
    lines = "\n".join(textwrap.wrap(base64.b64encode(body).decode(), 64))
    return f"-----BEGIN {label}-----\n{headers}{lines}\n-----END {label}-----"


def pem_rsa(rng):
    return pem("RSA PRIVATE KEY", rsa_pkcs1(rng, rng.choice((2048, 3072))))


def pem_rsa_legacy_encrypted(rng):
    headers = f"Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,{rand(rng, HEX.upper(), 32)}\n\n"
    return pem("RSA PRIVATE KEY", rbytes(rng, 1200), headers)


def pem_ec(rng):
    body = der_seq(der_int(1), der(0x04, rbytes(rng, 32)), der(0xA0, der_oid("1.2.840.10045.3.1.7")),
                   der(0xA1, der(0x03, b"\0\x04" + rbytes(rng, 64))))
    return pem("EC PRIVATE KEY", body)


def pem_pkcs8_rsa(rng):
    algorithm = der_seq(der_oid("1.2.840.113549.1.1.1"), b"\x05\x00")
    return pem("PRIVATE KEY", der_seq(der_int(0), algorithm, der(0x04, rsa_pkcs1(rng))))


def pem_pkcs8_ed25519(rng):
    body = der_seq(der_int(0), der_seq(der_oid("1.3.101.112")), der(0x04, der(0x04, rbytes(rng, 32))))
    return pem("PRIVATE KEY", body)


def pem_pkcs8_encrypted(rng):
    kdf = der_seq(der_oid("1.2.840.113549.1.5.12"),
                  der_seq(der(0x04, rbytes(rng, 16)), der_int(2048), der_seq(der_oid("1.2.840.113549.2.9"), b"\x05\x00")))
    cipher = der_seq(der_oid("2.16.840.1.101.3.4.1.42"), der(0x04, rbytes(rng, 16)))
    algorithm = der_seq(der_oid("1.2.840.113549.1.5.13"), der_seq(kdf, cipher))
    return pem("ENCRYPTED PRIVATE KEY", der_seq(algorithm, der(0x04, rbytes(rng, 1232))))


def pem_dsa(rng):
    return pem("DSA PRIVATE KEY", der_seq(der_int(0), der_int(_big(rng, 128)), der_int(_big(rng, 20)),
                                          der_int(_big(rng, 128)), der_int(_big(rng, 128)), der_int(_big(rng, 20))))


def _ssh_string(data: bytes | str) -> bytes:
    if isinstance(data, str):
        data = data.encode()
    return struct.pack(">I", len(data)) + data


def openssh_ed25519(rng, encrypted: bool = False):
    # PROTOCOL.key in OpenSSH: magic, cipher, kdf, kdf options, key count, public key, private section.
    public = _ssh_string("ssh-ed25519") + _ssh_string(rbytes(rng, 32))
    if encrypted:
        kdf_options = _ssh_string(rbytes(rng, 16)) + struct.pack(">I", 16)
        head = _ssh_string("aes256-ctr") + _ssh_string("bcrypt") + _ssh_string(kdf_options)
        private = rbytes(rng, 144)
    else:
        head = _ssh_string("none") + _ssh_string("none") + _ssh_string(b"")
        check = rbytes(rng, 4)
        private = check + check + public + _ssh_string(rbytes(rng, 64)) + _ssh_string(f"{rand(rng, LOWER, 6)}@laptop")
        private += bytes(range(1, 1 + (-len(private) % 8)))
    blob = b"openssh-key-v1\0" + head + struct.pack(">I", 1) + _ssh_string(public) + _ssh_string(private)
    lines = "\n".join(textwrap.wrap(base64.b64encode(blob).decode(), 70))
    return f"-----BEGIN OPENSSH PRIVATE KEY-----\n{lines}\n-----END OPENSSH PRIVATE KEY-----"


def pgp_private_block(rng):
    # RFC 4880: a secret-key packet (tag 5, new format) followed by key material, armoured with CRC-24.
    body = b"\xc5\xc1\x58\x04" + rbytes(rng, 4) + b"\x01\x08\x00" + rbytes(rng, 700)
    lines = "\n".join(textwrap.wrap(base64.b64encode(body).decode(), 64))
    crc = base64.b64encode(checksums.crc24(body).to_bytes(3, "big")).decode()
    return f"-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n{lines}\n={crc}\n-----END PGP PRIVATE KEY BLOCK-----"


def putty_ppk(rng):
    public = base64.b64encode(_ssh_string("ssh-ed25519") + _ssh_string(rbytes(rng, 32))).decode()
    private = base64.b64encode(_ssh_string(rbytes(rng, 32))).decode()
    return (f"PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: eddsa-key-2024{rand(rng, DIGITS, 4)}\n"
            f"Public-Lines: 2\n{public[:64]}\n{public[64:]}\nPrivate-Lines: 1\n{private}\nPrivate-MAC: {rand(rng, HEX, 64)}")


KEY_BLOCKS = {
    "pem-rsa-pkcs1": pem_rsa,
    "pem-rsa-legacy-encrypted": pem_rsa_legacy_encrypted,
    "pem-ec": pem_ec,
    "pem-pkcs8-rsa": pem_pkcs8_rsa,
    "pem-pkcs8-ed25519": pem_pkcs8_ed25519,
    "pem-pkcs8-encrypted": pem_pkcs8_encrypted,
    "pem-dsa": pem_dsa,
    "openssh-ed25519": openssh_ed25519,
    "openssh-encrypted": lambda rng: openssh_ed25519(rng, encrypted=True),
    "pgp-private-key-block": pgp_private_block,
    "putty-ppk-v3": putty_ppk,
}


# --- JWT (RFC 7519) -----------------------------------------------------------------------------------


def jwt(rng: random.Random) -> tuple[str, str]:
    alg = rng.choice(("HS256", "RS256", "ES256"))
    header = {"alg": alg, "typ": "JWT"}
    if alg != "HS256":
        header["kid"] = rand(rng, B64URL, 16)
    now = rng.randint(1_700_000_000, 1_760_000_000)
    payload = {"sub": rand(rng, HEX, 24), "iss": rng.choice(("https://auth.acme-test.dev/", "https://login.internal.test/")),
               "aud": rng.choice(("api", "billing", "web")), "iat": now, "exp": now + 3600,
               "scope": rng.choice(("read", "read write", "admin"))}
    signature_bytes = {"HS256": 32, "RS256": 256, "ES256": 64}[alg]
    signature = base64.urlsafe_b64encode(rbytes(rng, signature_bytes)).decode().rstrip("=")
    return f"{b64url_json(header)}.{b64url_json(payload)}.{signature}", f"jwt-{alg.lower()}"


# --- passwords ----------------------------------------------------------------------------------------

WORDS = ("summer", "falcon", "purple", "rocket", "harbor", "winter", "marble", "tiger", "copper", "orchid",
         "velvet", "glacier", "maple", "thunder", "sapphire", "pepper", "castle", "meadow")


def password(rng: random.Random, url_safe: bool = False) -> str:
    """A password as people and generators make them: word-based with digits and a symbol, or random."""
    symbols = "-_.!*" if url_safe else "!#$%&*?-_."
    style = rng.randrange(3)
    if style == 0:
        word = rng.choice(WORDS)
        return word.capitalize() + str(rng.randint(1, 2025)) + rng.choice(symbols)
    if style == 1:
        return "".join(rng.choice(ALNUM + symbols) for _ in range(rng.randint(12, 24)))
    return rng.choice(WORDS) + rng.choice(symbols) + rng.choice(WORDS).capitalize() + rand(rng, DIGITS, 2)


def pw_label(value: str, fmt: str) -> Labelled:
    return Labelled(value, SECRET, fmt)


def db_url(rng: random.Random) -> tuple:
    """A connection string whose password alone is labelled (the rest of the URL is not secret)."""
    pw = password(rng, url_safe=True)
    user = rng.choice(("app", "admin", "svc_orders", "readonly", "postgres", "root", "etl"))
    kind = rng.randrange(9)
    host = {2: "mysql-01.corp.test", 3: "cluster0.ab1cd.mongodb.net", 4: "cache.internal", 5: "mq.internal"}.get(
        kind, rng.choice(("db.prod.internal", "pg-main.cluster.local", "orders-db.c9akciq32.eu-west-1.rds.amazonaws.com")))
    if kind == 0:
        return (f"postgres://{user}:", pw_label(pw, "db-url-postgres"), f"@{host}:5432/orders"), "DATABASE_URL"
    if kind == 1:
        return (f"postgresql://{user}:", pw_label(pw, "db-url-postgres"), f"@{host}/app?sslmode=require"), "DATABASE_URL"
    if kind == 2:
        return (f"mysql://{user}:", pw_label(pw, "db-url-mysql"), f"@{host}:3306/shop"), "DB_URL"
    if kind == 3:
        return (f"mongodb+srv://{user}:", pw_label(pw, "db-url-mongodb"), f"@{host}/test?retryWrites=true&w=majority"), "MONGO_URI"
    if kind == 4:
        return ("redis://default:", pw_label(pw, "db-url-redis"), f"@{host}:6379/0"), "REDIS_URL"
    if kind == 5:
        return (f"amqp://{user}:", pw_label(pw, "db-url-amqp"), f"@{host}:5672/%2F"), "BROKER_URL"
    if kind == 6:
        return (f"jdbc:postgresql://{host}:5432/app?user={user}&password=", pw_label(pw, "jdbc-url"), ""), "JDBC_URL"
    if kind == 7:
        return (f"Server=tcp:{host},1433;Database=app;User ID={user};Password=", pw_label(pw, "ado-net-connection-string"),
                ";Encrypt=True;"), "ConnectionStrings__Default"
    return (f"mssql+pyodbc://{user}:", pw_label(pw, "db-url-sqlalchemy"), f"@{host}/app?driver=ODBC+Driver+18"), "SQLALCHEMY_DATABASE_URI"


def basic_auth_url(rng: random.Random) -> tuple:
    pw = password(rng, url_safe=True)
    user = rng.choice(("deploy", "admin", "jenkins", "ci-bot", "backup"))
    scheme, host, path = rng.choice((("https", "git.internal.test", "/team/service.git"),
                                     ("https", "jenkins.corp.test:8443", "/job/release/"),
                                     ("ftp", "files.corp.test", "/backups/"),
                                     ("http", "proxy.corp.test:3128", ""),
                                     ("https", "registry.corp.test", "/v2/")))
    return (f"{scheme}://{user}:", pw_label(pw, "basic-auth-url"), f"@{host}{path}"), "REMOTE_URL"


# Contexts that assign a password in code or config; {{pw}} is the secret.
PASSWORD_CONTEXTS = (
    ("password-python", 'DB_CONFIG = {\n    "host": "db.internal",\n    "user": "app",\n    "password": "{{pw}}",\n}\n'),
    ("password-python", 'conn = psycopg2.connect(host="db.internal", dbname="orders", user="app", password="{{pw}}")\n'),
    ("password-env", "DB_HOST=db.internal\nDB_USER=app\nDB_PASSWORD={{pw}}\nDB_PORT=5432\n"),
    ("password-yaml", "database:\n  host: db.internal\n  username: app\n  password: {{pw}}\n  pool: 10\n"),
    ("password-json", '{\n  "smtp": {\n    "host": "smtp.internal",\n    "user": "mailer",\n    "password": "{{pw}}"\n  }\n}\n'),
    ("password-properties", "spring.datasource.url=jdbc:postgresql://db:5432/app\nspring.datasource.username=app\nspring.datasource.password={{pw}}\n"),
    ("password-xml", '<appSettings>\n  <add key="SmtpUser" value="mailer" />\n  <add key="SmtpPassword" value="{{pw}}" />\n</appSettings>\n'),
    ("password-ini", "[database]\nhost = db.internal\nuser = app\npassword = {{pw}}\n"),
    ("password-js", "const pool = new Pool({ host: 'db.internal', user: 'app', password: '{{pw}}', database: 'orders' });\n"),
    ("password-go", 'cfg := mysql.Config{User: "app", Passwd: "{{pw}}", Net: "tcp", Addr: "db:3306"}\n'),
    ("password-cli", "$ mysql -u root -p{{pw}} -h db.internal orders\n"),
    ("password-cli", "$ PGPASSWORD={{pw}} psql -h db.internal -U app orders\n"),
    ("password-cli", "$ docker login registry.corp.test -u ci-bot -p {{pw}}\n"),
    ("password-cli", "sshpass -p '{{pw}}' ssh deploy@bastion.corp.test\n"),
    ("password-chat", "the staging admin login is admin / {{pw}} - please don't share it outside the team"),
    ("password-chat", "wifi password for the office guest network: {{pw}}"),
)


# Generic high-entropy keys: the only sign they are secret is the keyword beside them.
def generic_key(rng: random.Random) -> tuple[str, str, str]:
    """(context template with {{key}}, value, format name)."""
    kind = rng.randrange(7)
    if kind == 0:
        return 'api_key = "{{key}}"\n', rand(rng, ALNUM, 32), "generic-api-key"
    if kind == 1:
        return "X-API-Key: {{key}}\n", rand(rng, HEX, 40), "generic-api-key-header"
    if kind == 2:
        return "SECRET_KEY = '{{key}}'\n", rand(rng, ALNUM + "!@#$%^&*(-_=+)", 50), "django-secret-key"
    if kind == 3:
        return "Authorization: Bearer {{key}}\n", rand(rng, B64URL, 48), "generic-bearer-token"
    if kind == 4:
        return "client_secret: {{key}}\n", rand(rng, B64URL, 40), "generic-client-secret"
    if kind == 5:
        return '"access_token": "{{key}}",\n', rand(rng, ALNUM, 64), "generic-access-token"
    return "auth_token={{key}}\n", rand(rng, HEX, 64), "generic-hex-token"


def webhook(rng: random.Random) -> tuple[str, str, str]:
    """(url, env var, format) for webhook URLs whose path is the credential."""
    kind = rng.randrange(4)
    if kind == 0:
        url = f"https://hooks.slack.com/services/T{rand(rng, UPPER + DIGITS, 8)}/B{rand(rng, UPPER + DIGITS, 10)}/{rand(rng, ALNUM, 24)}"
        return url, "SLACK_WEBHOOK_URL", "slack-webhook-url"
    if kind == 1:
        url = f"https://discord.com/api/webhooks/{rng.randint(10**17, 10**18)}/{rand(rng, B64URL, 68)}"
        return url, "DISCORD_WEBHOOK", "discord-webhook-url"
    if kind == 2:
        guid = lambda: f"{rand(rng, HEX, 8)}-{rand(rng, HEX, 4)}-{rand(rng, HEX, 4)}-{rand(rng, HEX, 4)}-{rand(rng, HEX, 12)}"
        url = f"https://acmetest.webhook.office.com/webhookb2/{guid()}@{guid()}/IncomingWebhook/{rand(rng, HEX, 32)}/{guid()}"
        return url, "TEAMS_WEBHOOK_URL", "teams-webhook-url"
    url = (f"https://chat.googleapis.com/v1/spaces/AAAA{rand(rng, B64URL, 7)}/messages?key=AIza{rand(rng, B64URL, 35)}"
           f"&token={rand(rng, B64URL, 43)}%3D")
    return url, "GOOGLE_CHAT_WEBHOOK", "google-chat-webhook-url"


def service_account_json(rng: random.Random) -> tuple:
    """A GCP service-account key file: the private key (escaped newlines) and its id are secrets, the
    client email is an email address."""
    key = pem_pkcs8_rsa(rng).replace("\n", "\\n") + "\\n"
    project = f"{rng.choice(('billing', 'data', 'ml'))}-{rand(rng, DIGITS, 6)}"
    email = f"deployer@{project}.iam.gserviceaccount.com"
    return (
        '{\n  "type": "service_account",\n  "project_id": "', project, '",\n  "private_key_id": "',
        Labelled(rand(rng, HEX, 40), SECRET, "gcp-service-account-key-id"), '",\n  "private_key": "',
        Labelled(key, SECRET, "gcp-service-account-private-key"), '",\n  "client_email": "',
        Labelled(email, "EMAIL_ADDRESS", "service-account"), '",\n  "client_id": "', rand(rng, DIGITS, 21),
        '",\n  "auth_uri": "https://accounts.google.com/o/oauth2/auth",\n  "token_uri": "https://oauth2.googleapis.com/token"\n}\n',
    )


def azure_connection_string(rng: random.Random) -> tuple:
    key = base64.b64encode(rbytes(rng, 64)).decode()
    account = rand(rng, LOWER + DIGITS, 12)
    return (f"DefaultEndpointsProtocol=https;AccountName={account};AccountKey=",
            Labelled(key, SECRET, "azure-storage-connection-string"), ";EndpointSuffix=core.windows.net")


def k8s_secret_data(rng: random.Random) -> tuple:
    """A Kubernetes Secret manifest whose `data` values are base64 of credentials."""
    pw = password(rng)
    token = "ghp_" + rand(rng, ALNUM, 36) if rng.random() < 0.5 else rand(rng, HEX, 40)
    enc = lambda v: base64.b64encode(v.encode()).decode()
    return (
        f"apiVersion: v1\nkind: Secret\nmetadata:\n  name: {rng.choice(('db-creds', 'api-keys', 'app-secrets'))}\n"
        "  namespace: production\ntype: Opaque\ndata:\n  username: ", enc("app"), "\n  password: ",
        Labelled(enc(pw), SECRET, "k8s-secret-data-base64"), "\n  api-token: ",
        Labelled(enc(token), SECRET, "k8s-secret-data-base64"), "\n",
    )


def json_dumps_pretty(obj) -> str:
    return json.dumps(obj, indent=2)
