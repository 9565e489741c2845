"""Deterministic realistic paste material: prose with personal data, code with secrets, CSV exports.

Everything is made up here from templates and a seeded random generator, so every run scans the same
texts. The secrets are fake values of the right shapes (they are no one's credentials).
"""

from __future__ import annotations

import random
import string

FIRST_NAMES = (
    "Sarah Miguel John Maria Emily Tom Priya Ahmed Olivia Lukas Chen Fatima Daniel Sofia Kwame Ingrid Rahul "
    "Hannah Mateo Aisha Jonas Yuki Grace Omar Elena Patrick Leila Victor Nadia Samuel Chloe Diego Amara "
    "Henrik Isabel Tariq Julia Marcus Ana Kenji Zoe Ibrahim Clara Ravi Lena Andre Mei Thomas Rosa"
).split()
LAST_NAMES = (
    "Connor Alvarez Smith Garcia Chen Nguyen Patel Okafor Schmidt Rossi Kowalski Haddad Johansson Tanaka "
    "Fernandez Mbeki Larsen Murphy Dubois Novak Silva Kim Brennan Moreau Fischer Costa Yilmaz Hughes Ortiz "
    "Weber Lindqvist Adeyemi Romero Sato Walsh Hoffmann Castillo Ivanova Becker Doyle"
).split()
CITIES = (
    "Berlin Madrid London Seattle Boston Lisbon Toronto Chicago Munich Dublin Austin Denver Lyon Oslo "
    "Melbourne Nairobi Singapore Zurich Vienna Prague Portland Manchester Barcelona Amsterdam Stockholm"
).split()
COMPANIES = (
    "Acme Corporation|Globex Inc|Initech|Umbrella Logistics|Stark Industries|Wayne Enterprises|Hooli|"
    "Vandelay Industries|Cyberdyne Systems|Soylent Foods|Wonka Industries|Tyrell Corporation|Massive Dynamic|"
    "Oceanic Airlines|Pied Piper|Dunder Mifflin|Northwind Traders|Contoso Ltd|Fabrikam Inc|Blue Harbor Bank"
).split("|")
STREETS = "Baker Street|Elm Avenue|Harbour Road|Maple Drive|Kings Lane|Station Road|Park Avenue|Mill Street".split("|")
TOPICS = (
    "the quarterly report|the migration plan|the onboarding checklist|the renewal contract|the security review|"
    "the budget forecast|the release notes|the incident summary|the hiring plan|the pricing proposal"
).split("|")

PROSE_TEMPLATES = (
    "Hi team, I met {person} from {company} in {city} last week. {first} asked whether we could send {topic} "
    "to their colleague {person2} before the end of the month.",
    "Please contact {person} at {email} or call {phone} if anything in {topic} is unclear.",
    "The invoice for {company} was paid by {person}, who lives at {number} {street}, {city}.",
    "Can you summarise the notes below and draft a polite reply that thanks them for the meeting?",
    "Our lawyer, {person} of {company}, will review {topic} in {city} on Thursday.",
    "Let me know if {first} or {first2} need anything else from the {city} office next week.",
    "Customer complaint: {person} (card {card}) says the refund from {company} never arrived.",
    "Rewrite this paragraph so it sounds friendlier and shorter, keeping the main points intact.",
    "During the call {first} mentioned that {company} is opening a new office in {city} next year.",
    "Employee {person}, SSN {ssn}, moved to {city} and needs the payroll address updated.",
    "I am not sure the estimates in {topic} are right; could you double-check the totals and the dates?",
    "Forwarding the thread from {person} ({email}) about {topic}; the key points are in the second paragraph.",
    "Translate the following into German and keep the formatting of the list as it is.",
    "{first} from {company} wants the signed copy back by Friday, and {person2} will countersign it.",
    "What is the best way to explain a delayed shipment to a customer without sounding defensive?",
)

CODE_TEMPLATES = (
    '''import os
import boto3

AWS_ACCESS_KEY_ID = "{aws_id}"
AWS_SECRET_ACCESS_KEY = "{aws_secret}"

def upload(path, bucket="reports-{word}"):
    client = boto3.client("s3", aws_access_key_id=AWS_ACCESS_KEY_ID,
                          aws_secret_access_key=AWS_SECRET_ACCESS_KEY)
    with open(path, "rb") as handle:
        client.upload_fileobj(handle, bucket, os.path.basename(path))
    return True
''',
    '''const express = require("express");
const app = express();
const stripe = require("stripe")("{stripe}");

app.post("/charge", async (req, res) => {{
  const {{ amount, customer }} = req.body;
  const charge = await stripe.charges.create({{ amount, currency: "usd", customer }});
  res.json({{ id: charge.id, status: charge.status }});
}});

app.listen(3000, () => console.log("listening on 3000"));
''',
    '''database:
  host: db-{word}.internal
  port: 5432
  user: app_{word}
  password: "{password}"
github:
  token: {github}
logging:
  level: info
''',
    '''#!/bin/bash
set -euo pipefail
export SLACK_TOKEN="{slack}"
for file in /var/log/app/*.log; do
  gzip -9 "$file"
done
curl -s -X POST -H "Authorization: Bearer $SLACK_TOKEN" https://slack.example.com/api/chat.postMessage
''',
    '''SELECT c.id, c.email, o.total
FROM customers c
JOIN orders o ON o.customer_id = c.id
WHERE o.created_at > '2024-01-01'
  AND c.country = 'DE'
ORDER BY o.total DESC
LIMIT 50;
''',
    '''public class PaymentService {{
    private static final String API_KEY = "{stripe}";
    private final HttpClient client = HttpClient.newHttpClient();

    public boolean charge(String customerId, long cents) throws IOException {{
        HttpRequest request = HttpRequest.newBuilder().uri(URI.create(BASE_URL + "/charge")).build();
        return client.send(request, BodyHandlers.ofString()).statusCode() == 200;
    }}
}}
''',
)

CSV_HEADER = "id,first_name,last_name,email,phone,city,company,card_number,signup_date"


class Corpus:
    """Paste-like texts of a given size, the same for the same seed."""

    def __init__(self, seed: int = 1234):
        self.random = random.Random(seed)

    def pick(self, items):
        return self.random.choice(items)

    def digits(self, n: int) -> str:
        return "".join(self.random.choice(string.digits) for _ in range(n))

    def token(self, alphabet: str, n: int) -> str:
        return "".join(self.random.choice(alphabet) for _ in range(n))

    def card(self) -> str:
        # A Luhn-valid 16-digit number with a Visa prefix (not a real card: random digits).
        body = "4" + self.digits(14)
        total = 0
        for i, ch in enumerate(reversed(body)):
            d = int(ch)
            if i % 2 == 0:
                d = d * 2 - 9 if d * 2 > 9 else d * 2
            total += d
        check = (10 - total % 10) % 10
        number = body + str(check)
        return " ".join(number[i:i + 4] for i in range(0, 16, 4))

    def ssn(self) -> str:
        return f"{self.random.randint(101, 665)}-{self.random.randint(10, 99)}-{self.random.randint(1000, 9999)}"

    def phone(self) -> str:
        return f"+1 {self.random.randint(201, 989)} 555 {self.digits(4)}"

    def fields(self) -> dict:
        first, first2 = self.pick(FIRST_NAMES), self.pick(FIRST_NAMES)
        last, last2 = self.pick(LAST_NAMES), self.pick(LAST_NAMES)
        return {
            "first": first,
            "first2": first2,
            "person": f"{first} {last}",
            "person2": f"{first2} {last2}",
            "company": self.pick(COMPANIES),
            "city": self.pick(CITIES),
            "street": self.pick(STREETS),
            "number": self.random.randint(1, 250),
            "topic": self.pick(TOPICS),
            "email": f"{first.lower()}.{last.lower()}@{self.pick(['gmail.com', 'outlook.com', 'acme-corp.com'])}",
            "phone": self.phone(),
            "card": self.card(),
            "ssn": self.ssn(),
        }

    def paragraph(self) -> str:
        return " ".join(self.pick(PROSE_TEMPLATES).format(**self.fields()) for _ in range(self.random.randint(3, 6)))

    def code(self) -> str:
        upper = string.ascii_uppercase + string.digits
        mixed = string.ascii_letters + string.digits
        return self.pick(CODE_TEMPLATES).format(
            aws_id="AKIA" + self.token(upper, 16),
            aws_secret=self.token(mixed + "/+", 40),
            stripe="sk_live_" + self.token(mixed, 24),
            github="ghp_" + self.token(mixed, 36),
            slack="xoxb-" + self.digits(12) + "-" + self.digits(13) + "-" + self.token(mixed, 24),
            password=self.token(mixed + "!#%", 18),
            word=self.token(string.ascii_lowercase, 6),
        )

    def csv(self, rows: int) -> str:
        lines = [CSV_HEADER]
        for i in range(rows):
            f = self.fields()
            first, last = f["person"].split(" ", 1)
            lines.append(
                f"{1000 + i},{first},{last},{f['email']},{f['phone']},{f['city']},{f['company']},"
                f"{f['card'].replace(' ', '')},2024-{self.random.randint(1, 12):02d}-{self.random.randint(1, 28):02d}"
            )
        return "\n".join(lines) + "\n"

    def mixed(self, size: int) -> str:
        """About `size` characters: prose paragraphs, code blocks and CSV exports, roughly 50/30/20."""
        parts: list[str] = []
        total = 0
        while total < size:
            roll = self.random.random()
            if roll < 0.5:
                part = self.paragraph()
            elif roll < 0.8:
                part = "Here is the code:\n\n" + self.code()
            else:
                part = "Export from the CRM:\n" + self.csv(self.random.randint(4, 30))
            parts.append(part)
            total += len(part) + 2
        return "\n\n".join(parts)[:size]


def mixed_text(size: int, seed: int = 1234) -> str:
    return Corpus(seed + size).mixed(size)
