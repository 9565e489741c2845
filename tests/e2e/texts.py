"""Made-up test data shared by the end-to-end tests; none of it is a live credential or a real person."""

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
