"""PII samples: realistic pastes (tickets, signatures, HR notes, CSV exports, chats, notes, orders, logs)
filled with generated values whose spans are the gold labels.

Labelling rules (also in eval/README.md): a person's name is PERSON whether written in full or as a first
name in a greeting; a street line, a city and a country are separate LOCATION spans (a postcode is not
labelled); a company is ORGANIZATION; a date is DATE_OF_BIRTH only when the text says it is one; every
other value is labelled with its own type exactly as written (separators included). Nothing else in a
template names a real person, place or organisation, so any other finding is a false positive.
"""

from __future__ import annotations

import random
from typing import Callable

from eval import pii_values as pv
from eval.corpus import Labelled, Sample, TextBuilder, plain, render, slots_of


def _slot_makers(rng: random.Random, p: pv.Persona) -> dict[str, Callable[[], object]]:
    other = pv.Persona.make(rng, p.locale)
    dl_value, dl_state = pv.us_driver_license(rng)
    return {
        "name": p.full_name, "first": p.first_name, "last": p.last_name, "org": p.organisation,
        "city": p.city, "street": p.street, "postcode": p.postcode, "country": p.country, "job": p.job,
        "email": p.email, "phone": p.phone,
        "name2": other.full_name, "first2": other.first_name, "email2": other.email, "phone2": other.phone,
        "org2": other.organisation, "city2": other.city,
        "card": lambda: pv.credit_card(rng), "iban": lambda: pv.iban(rng, p.locale),
        "ssn": lambda: pv.us_ssn(rng), "itin": lambda: pv.us_itin(rng), "routing": lambda: pv.us_routing(rng),
        "passport": lambda: pv.us_passport(rng), "dl": lambda: dl_value,
        "dl_state": lambda: Labelled(dl_state, "LOCATION", "us-state"),
        "ip": lambda: pv.ipv4(rng), "ip_private": lambda: pv.ipv4_private(rng), "ipv6": lambda: pv.ipv6(rng),
        "mac": lambda: pv.mac_address(rng), "wallet": lambda: pv.crypto_address(rng),
        "dob": lambda: pv.date_of_birth(rng, p.locale), "nino": lambda: pv.uk_nino(rng),
        # Unlabelled filler that looks like data, so detectors meet numbers that are not PII.
        "ticket": lambda: str(rng.randint(10000, 99999)),
        "order": lambda: f"{rng.randint(100, 999)}-{rng.randint(1000000, 9999999)}",
        "amount": lambda: f"{rng.randint(5, 2500)}.{rng.randint(0, 99):02d}",
        "date": lambda: f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        "time": lambda: f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}",
        "account": lambda: pv.digits(rng, rng.randint(8, 12)),
        "last4": lambda: pv.digits(rng, 4),
        "reqid": lambda: "%032x" % rng.getrandbits(128),
    }


# Templates: prose with {{slots}}. Several per kind of paste so no one wording dominates.
TEMPLATES: dict[str, str] = {
    "support-ticket-billing": (
        "Ticket #{{ticket}} - Double charge\nFrom: {{name}} <{{email}}>\n\nHello,\n\nI was charged twice for "
        "order {{order}} ({{amount}} EUR). The card used was {{card}}. Please refund the second charge. "
        "You can reach me on {{phone}} during office hours.\n\nThanks,\n{{first}}"
    ),
    "support-ticket-account": (
        "Subject: cannot log in\n\nHi support team, my account email is {{email}} and since {{date}} the "
        "login page says my password is wrong. My name on the account is {{name}} and I live in {{city}}. "
        "Last login attempt came from {{ip}}. Call me back at {{phone}} please."
    ),
    "support-chat-refund": (
        "[{{time}}] customer: hi, I need the refund sent by bank transfer instead\n[{{time}}] agent: sure, "
        "can you give me the IBAN?\n[{{time}}] customer: {{iban}}, account holder {{name}}\n[{{time}}] agent: "
        "thanks {{first}}, done, you should see it within 3 days"
    ),
    "email-signature-us": (
        "Thanks for the quick turnaround, see the revised numbers attached.\n\nBest regards,\n\n{{name}}\n"
        "{{job}} | {{org}}\n{{street}}\n{{city}} {{postcode}}\nMobile: {{phone}}\n{{email}}"
    ),
    "email-signature-short": (
        "Let me know if Thursday works for the review.\n--\n{{name}}\n{{org}}\nT: {{phone}}\nE: {{email}}"
    ),
    "email-forward": (
        "---------- Forwarded message ---------\nFrom: {{name2}} <{{email2}}>\nDate: {{date}}\nSubject: contract "
        "renewal\nTo: {{name}} <{{email}}>\n\nHi {{first}}, the renewal for {{org}} is attached. I am in "
        "{{city2}} next week if you want to go through it.\n"
    ),
    "hr-note-onboarding": (
        "New starter checklist\nName: {{name}}\nDate of birth: {{dob}}\nSSN: {{ssn}}\nHome address: {{street}}, "
        "{{city}} {{postcode}}\nPersonal email: {{email}}\nPayroll: routing number {{routing}}, account "
        "{{account}}\nStart date: {{date}}"
    ),
    "hr-note-uk": (
        "HR file note - {{name}}\nNational Insurance number: {{nino}}\nDOB: {{dob}}\nAddress: {{street}}, "
        "{{city}}, {{postcode}}\nEmergency contact: {{name2}}, {{phone2}}\nNotes: probation review passed."
    ),
    "hr-note-tax": (
        "Contractor {{name}} does not have a social security number yet; use ITIN {{itin}} on the 1099. "
        "Payments go to routing {{routing}}. Contact: {{email}}, {{phone}}."
    ),
    "medical-note": (
        "Patient: {{name}}  DOB: {{dob}}\nSeen on {{date}} for follow-up. Blood pressure stable, continue "
        "current dose. Next appointment in six weeks. Patient lives at {{street}}, {{city}}; contact "
        "{{phone}}.\nReferred by {{name2}}."
    ),
    "medical-intake": (
        "Intake form\nFull name: {{name}}\nBorn on {{dob}}\nInsurance member SSN: {{ssn}}\nPhone: {{phone}}\n"
        "Email: {{email}}\nEmployer: {{org}}"
    ),
    "order-confirmation": (
        "Order confirmation {{order}}\nThank you for your order, {{first}}!\nShip to:\n{{name}}\n{{street}}\n"
        "{{postcode}} {{city}}\n{{country}}\nPayment: card {{card}}\nTotal: {{amount}}\nQuestions? Reply to "
        "this email or call {{phone}}."
    ),
    "travel-booking": (
        "Booking reference {{ticket}}. Traveller: {{name}}, date of birth {{dob}}, passport number {{passport}}. "
        "Frequent flyer email {{email}}. Please make sure the passport is valid for six months."
    ),
    "insurance-claim": (
        "Claim {{ticket}}: driver {{name}}, {{dl_state}} driver's license number {{dl}}, phone {{phone}}. "
        "The other party was {{name2}}. Incident near {{street}}, {{city}}."
    ),
    "rental-application": (
        "Applicant: {{name}}\nCurrent address: {{street}}, {{city}}\nDriver license: {{dl}} ({{dl_state}})\n"
        "SSN: {{ssn}}\nEmployer: {{org}}, {{job}}\nReferences: {{name2}} {{phone2}}"
    ),
    "wire-instructions": (
        "Please pay invoice {{order}} to {{org}}.\nBeneficiary: {{name}}\nIBAN: {{iban}}\nReference: INV-{{ticket}}\n"
        "Questions to {{email}}."
    ),
    "ach-form": (
        "Direct deposit form\nEmployee: {{name}}\nBank routing number: {{routing}}\nAccount number: {{account}}\n"
        "Signed on {{date}}"
    ),
    "crypto-refund": (
        "hey, can you send the refund in crypto instead? my wallet is {{wallet}} - thanks! {{first}}"
    ),
    "crypto-invoice": (
        "Invoice {{ticket}} from {{org}}\nAmount due: {{amount}} USDC\nPay to address: {{wallet}}\nContact "
        "{{email}} with the transaction id."
    ),
    "network-ticket": (
        "Incident {{ticket}}: host lost connectivity at {{time}}. NIC {{mac}} was assigned {{ip_private}} by "
        "DHCP; the upstream firewall shows drops from {{ip}}. IPv6 address {{ipv6}} still answers ping. "
        "Reported by {{name}} ({{email}})."
    ),
    "device-inventory": (
        "Laptop handover\nUser: {{name}}\nMAC (wifi): {{mac}}\nLast seen IP: {{ip}}\nLocation: {{city}} office"
    ),
    "chat-casual": (
        "{{first}}: hey are you coming to the offsite?\n{{first2}}: yes! text me on {{phone2}} when you land\n"
        "{{first}}: will do, my new number is {{phone}}"
    ),
    "chat-intro": (
        "Let me introduce {{name2}} from {{org2}} - {{first2}}, meet {{name}}, who runs procurement at {{org}}. "
        "{{first2}}'s email is {{email2}}."
    ),
    "meeting-minutes": (
        "Minutes {{date}}\nAttendees: {{name}} ({{org}}), {{name2}} ({{org2}})\nActions: {{first}} to send the "
        "draft to {{email2}}; {{first2}} to book the room in {{city}}."
    ),
    "kyc-check": (
        "KYC review for {{name}}: DOB {{dob}}, passport {{passport}}, residential address {{street}}, "
        "{{city}}, {{country}}. Source of funds: salary from {{org}}."
    ),
    "uk-payroll": (
        "Payroll query from {{name}} ({{email}}): my NI number {{nino}} is wrong on the last payslip, it "
        "should end in a different letter. Bank account {{iban}}."
    ),
    "sales-lead": (
        "Lead: {{name}}, {{job}} at {{org}} in {{city}}. Met at the trade fair, interested in the annual plan. "
        "Phone {{phone}}, email {{email}}."
    ),
    "chat-card": (
        "can you put the deposit on my card instead? {{card}} exp 09/27, name on card {{name}}. thx"
    ),
    "itin-letter": (
        "Re: tax filing for {{name}}\nThe client has no SSN; the IRS issued individual taxpayer identification "
        "number {{itin}} on {{date}}. Mail correspondence to {{street}}, {{city}}."
    ),
    "passport-renewal": (
        "Hi, I'm renewing my passport - old passport no. {{passport}}, born {{dob}}. Can you confirm my "
        "appointment? {{name}}, {{phone}}"
    ),
    "crypto-chat": (
        "{{first}}: which address should I use for the payout?\n{{first2}}: use {{wallet}}, the old one is closed"
    ),
    "complaint-letter": (
        "Dear Sir or Madam,\n\nI am writing about the parcel that never arrived at {{street}}, {{city}}. "
        "I paid {{amount}} with my card ending {{last4}} and was promised delivery on {{date}}.\n\nYours "
        "faithfully,\n{{name}}\n{{phone}}"
    ),
}

LOG_FORMATS = (
    '{{ip}} - - [{{date}}:{{time}} +0000] "POST /api/login HTTP/1.1" 200 512 "-" "Mozilla/5.0" user={{email}}',
    "{{date}}T{{time}}Z INFO auth: login ok user={{email}} src={{ip}} request_id={{reqid}}",
    "{{date}} {{time}} WARN dhcp: lease renewed for {{mac}} -> {{ip_private}}",
    "{{date}}T{{time}}Z ERROR payments: card declined customer={{email}} amount={{amount}}",
    "{{date}} {{time}} DEBUG session: ipv6 peer {{ipv6}} connected",
)

CSV_SCHEMAS = (
    ("customers.csv", ("id", "first_name", "last_name", "email", "phone", "city")),
    ("employees.csv", ("employee_id", "name", "date_of_birth", "ssn", "email")),
    ("payouts.csv", ("payee", "iban", "amount", "currency")),
    ("leads.csv", ("company", "contact", "email", "phone")),
    ("devices.csv", ("hostname", "owner", "mac", "ip")),
)


def _csv_cell(column: str, rng: random.Random, p: pv.Persona):
    """One cell, quoted as RFC 4180 asks when the value holds a comma ("March 5, 1980")."""
    value = _csv_value(column, rng, p)
    return ('"', value, '"') if "," in plain(value) else value


def _csv_value(column: str, rng: random.Random, p: pv.Persona):
    return {
        "id": lambda: str(rng.randint(1000, 9999)), "employee_id": lambda: f"E{rng.randint(10000, 99999)}",
        "first_name": p.first_name, "last_name": p.last_name, "name": p.full_name, "payee": p.full_name,
        "contact": p.full_name, "owner": p.full_name, "email": p.email, "phone": p.phone, "city": p.city,
        "date_of_birth": lambda: pv.date_of_birth(rng, "en_US"), "ssn": lambda: pv.us_ssn(rng),
        "iban": lambda: pv.iban(rng, p.locale), "amount": lambda: f"{rng.randint(10, 9000)}.00",
        "currency": lambda: rng.choice(("EUR", "GBP", "USD")),
        "company": p.organisation,
        "hostname": lambda: f"lt-{rng.randint(100, 999)}", "mac": lambda: pv.mac_address(rng),
        "ip": lambda: pv.ipv4_private(rng),
    }[column]()


def csv_sample(sample_id: str, rng: random.Random) -> Sample:
    name, columns = rng.choice(CSV_SCHEMAS)
    builder = TextBuilder()
    builder.add(",".join(columns) + "\n")
    locale = rng.choices(pv.LOCALES, pv.LOCALE_WEIGHTS)[0]
    for _ in range(rng.randint(3, 8)):
        persona = pv.Persona.make(rng, locale)
        for i, column in enumerate(columns):
            if i:
                builder.add(",")
            builder.add(_csv_cell(column, rng, persona))
        builder.add("\n")
    return builder.sample(sample_id, "pii", f"csv:{name}")


def log_sample(sample_id: str, rng: random.Random) -> Sample:
    builder = TextBuilder()
    for _ in range(rng.randint(3, 7)):
        persona = pv.Persona.make(rng, "en_US")
        template = rng.choice(LOG_FORMATS)
        makers = _slot_makers(rng, persona)
        render(template, {slot: makers[slot]() for slot in slots_of(template)}, builder)
        builder.add("\n")
    return builder.sample(sample_id, "pii", "log-lines")


def template_sample(sample_id: str, rng: random.Random, template_name: str) -> Sample:
    template = TEMPLATES[template_name]
    persona = pv.Persona.make(rng)
    makers = _slot_makers(rng, persona)
    values = {slot: makers[slot]() for slot in slots_of(template)}
    return render(template, values).sample(sample_id, "pii", template_name)


def pii_samples(seed: int, count: int) -> list[Sample]:
    """`count` samples, templates taken in turn so each kind of paste is equally represented."""
    kinds = sorted(TEMPLATES) + ["csv", "csv", "logs", "logs"]
    samples = []
    for i in range(count):
        rng = random.Random(f"{seed}:pii:{i}")
        kind = kinds[i % len(kinds)]
        sample_id = f"pii-{i:05d}"
        if kind == "csv":
            samples.append(csv_sample(sample_id, rng))
        elif kind == "logs":
            samples.append(log_sample(sample_id, rng))
        else:
            samples.append(template_sample(sample_id, rng, kind))
    return samples
