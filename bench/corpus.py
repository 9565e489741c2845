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

# Hand-written requests of the kind people paste: few names, mostly instructions and ordinary prose.
NATURAL_PARAGRAPHS = (
    (
        'I have been trying to get the new reporting dashboard to load faster for weeks now. The main problem'
        ' seems to be that every widget makes its own request to the backend, and the backend then runs the '
        'same expensive aggregation again and again. Could you suggest a caching strategy that would not show'
        ' stale numbers to the finance team?'
    ),
    (
        'Yesterday I spoke with Margaret Okonkwo about the vendor contract. She thinks we should renegotiate '
        'the payment terms before the renewal in March, because the current terms were written when we were a'
        ' much smaller company. She also mentioned that her counterpart at Brightline Solutions, a guy called'
        ' Peter Vance, has been difficult to reach since the summer.'
    ),
    (
        'Write a short story about a lighthouse keeper who discovers that the light has been guiding ships to'
        ' the wrong harbour for years. Keep it under five hundred words and make the ending hopeful rather '
        'than tragic.'
    ),
    (
        'My daughter is applying to universities this autumn and is torn between studying medicine in '
        'Edinburgh and engineering at a technical university in Delft. What questions should she ask during '
        'the open days to make a good decision?'
    ),
    (
        'Please review the following performance feedback before I send it. Overall, Jamal has done solid '
        'work this year. He delivered the payment integration on time, although the documentation was thin '
        'and the handover to the support team was rushed. I would like him to take more ownership of code '
        'reviews next quarter.'
    ),
    (
        'The meeting with the regional directors went reasonably well. Most of the discussion was about '
        'headcount for next year and whether the Warsaw and Krakow teams should be merged. Nobody wanted to '
        'commit to a number, so we agreed to revisit it after the budget is approved.'
    ),
    (
        'How do I explain to a non-technical audience why our application needs a database migration, and why'
        ' the migration requires a maintenance window on a Sunday night?'
    ),
    (
        'Dear Mr. Hashimoto, thank you for your patience while we investigated the issue with your order. We '
        'found that the parcel was held at the customs office in Rotterdam because the invoice was missing a '
        'tariff code. It has now been released and should reach you in Osaka within four working days.'
    ),
    (
        'I need a polite but firm email to a landlord who has not fixed the heating for three weeks. The flat'
        ' is on Gloucester Road and the agency that manages it is Harcourt Lettings. Mention that I have '
        'reported it twice by phone and once in writing.'
    ),
    (
        'Summarise the main arguments for and against a four-day working week, with a focus on small '
        'manufacturing firms. Use plain language and no more than eight bullet points.'
    ),
    (
        'Can you help me plan a two-week trip through Portugal in May? We would start in Lisbon, spend a few '
        'days in Porto, and would like to see the Douro valley. My partner Felipe does not drive, so trains '
        'and buses are preferred.'
    ),
    (
        'Our team lead, Svetlana Morozova, asked everyone to write a short reflection on the last sprint. '
        'Mine is below; please make it more concise and fix any grammar mistakes. The sprint was chaotic '
        'because requirements changed twice, but we still shipped the export feature and fixed most of the '
        'open bugs.'
    ),
    (
        'What is the difference between a mutex and a semaphore, and when would I prefer one over the other '
        'in a system that processes sensor data from many devices at once?'
    ),
    (
        'The board approved the acquisition of Northfield Analytics last Thursday. The announcement will go '
        'out on Monday, and until then nobody outside the deal team should know. Alex Turner from legal will '
        'coordinate with the press office in Frankfurt.'
    ),
    (
        'Explain photosynthesis to a ten year old, using an analogy with a kitchen and a cook, and end with '
        'two simple questions the child can answer to check understanding.'
    ),
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
        """About `size` characters: prose (PII-dense templates 30 %, hand-written requests 20 %), code blocks
        with secrets 30 % and CSV exports 20 % (by count of parts)."""
        parts: list[str] = []
        total = 0
        while total < size:
            roll = self.random.random()
            if roll < 0.3:
                part = self.paragraph()
            elif roll < 0.5:
                part = self.pick(NATURAL_PARAGRAPHS)
            elif roll < 0.8:
                part = "Here is the code:\n\n" + self.code()
            else:
                part = "Export from the CRM:\n" + self.csv(self.random.randint(4, 30))
            parts.append(part)
            total += len(part) + 2
        return "\n\n".join(parts)[:size]


def mixed_text(size: int, seed: int = 1234) -> str:
    return Corpus(seed + size).mixed(size)
