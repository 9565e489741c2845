"""Made-up credentials in the formats their issuers document: prefix, length and alphabet.

Each entry is written from the provider's own description of its token format (the `doc` field names
it), never from our rule regexes, so the eval measures the rules rather than echoing them. Values are
random, so none is a live credential. Where a format carries a checksum (GitHub tokens, age keys), it is
computed, so a validating detector is not penalised.
"""

from __future__ import annotations

import base64
import json
import random
import string
from dataclasses import dataclass
from typing import Callable

from eval import checksums

LOWER = string.ascii_lowercase
UPPER = string.ascii_uppercase
DIGITS = string.digits
ALNUM = LOWER + UPPER + DIGITS
HEX = "0123456789abcdef"
B64 = ALNUM + "+/"
B64URL = ALNUM + "-_"
BASE32 = UPPER + "234567"


def rand(rng: random.Random, alphabet: str, n: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def b64url_json(obj: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(obj, separators=(",", ":")).encode()).decode().rstrip("=")


@dataclass(frozen=True)
class SecretFormat:
    name: str
    make: Callable[[random.Random], str]
    var: str  # the environment/config name people give it
    doc: str  # where the format is described
    # How the value is sent over HTTP, for curl/code contexts: a header template, "query:<param>" or
    # "basic:<user>" (the value is the basic-auth password).
    header: str = "Authorization: Bearer {}"
    # True when the value alone is indistinguishable from random data (hex, UUID, base64): it only ever
    # appears next to its variable name, as it does in real configs.
    needs_keyword: bool = False


def _github(prefix: str) -> Callable[[random.Random], str]:
    def make(rng: random.Random) -> str:
        body = rand(rng, ALNUM, 30)
        return prefix + body + checksums.github_token_checksum(body)
    return make


def _slack_bot(rng):
    return f"xoxb-{rand(rng, DIGITS, 12)}-{rand(rng, DIGITS, 13)}-{rand(rng, ALNUM, 24)}"


def _slack_user(rng):
    return f"xoxp-{rand(rng, DIGITS, 12)}-{rand(rng, DIGITS, 12)}-{rand(rng, DIGITS, 13)}-{rand(rng, HEX, 32)}"


def _uuid(rng):
    h = rand(rng, HEX, 32)
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{rng.choice('89ab')}{h[17:20]}-{h[20:]}"


def _sendgrid(rng):
    return f"SG.{rand(rng, B64URL, 22)}.{rand(rng, B64URL, 43)}"


def _azure_ad_secret(rng):
    return rand(rng, ALNUM, 3) + rng.choice(DIGITS) + "Q~" + rand(rng, ALNUM + "_.~-", 34)


def _discord_bot(rng):
    user_id = str(rng.randint(10**17, 10**18 - 1))
    first = base64.b64encode(user_id.encode()).decode().rstrip("=")
    return f"{first}.{rand(rng, B64URL, 6)}.{rand(rng, B64URL, 38)}"


def _telegram(rng):
    return f"{rng.randint(10**8, 10**10 - 1)}:AA{rand(rng, B64URL, 33)}"


def _openai_legacy(rng):
    return f"sk-{rand(rng, ALNUM, 20)}T3BlbkFJ{rand(rng, ALNUM, 20)}"


def _openai_project(rng):
    return f"sk-proj-{rand(rng, B64URL, 74)}T3BlbkFJ{rand(rng, B64URL, 74)}"


def _anthropic(rng):
    return f"sk-ant-api03-{rand(rng, B64URL, 93)}AA"


def _pypi(rng):
    # A macaroon: "pypi-" + base64url of a binary blob that starts with the issuer "pypi.org".
    return "pypi-AgEIcHlwaS5vcmc" + rand(rng, B64URL, 140)


def _terraform(rng):
    return f"{rand(rng, ALNUM, 14)}.atlasv1.{rand(rng, B64URL, 67)}"


def _mapbox(rng):
    payload = b64url_json({"u": rand(rng, LOWER, 8), "a": rand(rng, ALNUM + "-", 24)})
    return f"sk.{payload}.{rand(rng, B64URL, 22)}"


def _sentry_org(rng):
    payload = b64url_json({"iat": rng.randint(1_700_000_000, 1_760_000_000), "url": "https://sentry.io",
                           "region_url": "https://us.sentry.io", "org": rand(rng, LOWER, 8)})
    return f"sntrys_{payload}_{rand(rng, B64URL, 43)}"


def _firebase_fcm(rng):
    return f"AAAA{rand(rng, B64URL, 7)}:APA91b{rand(rng, B64URL, 134)}"


def _age(rng):
    key = bytes(rng.randrange(256) for _ in range(32))
    return checksums.bech32_encode_words("age-secret-key-", key).upper()


def _asana(rng):
    return f"2/{rand(rng, DIGITS, 16)}/{rand(rng, DIGITS, 16)}:{rand(rng, HEX, 32)}"


def _braintree(rng):
    return f"access_token$production${rand(rng, LOWER + DIGITS, 16)}${rand(rng, HEX, 32)}"


def _twitter_bearer(rng):
    return "AAAAAAAAAAAAAAAAAAAAA" + rand(rng, ALNUM, 30) + "%3D" + rand(rng, ALNUM, 50)


def _dynatrace(rng):
    return f"dt0c01.{rand(rng, UPPER + DIGITS, 24)}.{rand(rng, UPPER + DIGITS, 64)}"


def _cloudflare_origin_ca(rng):
    return f"v1.0-{rand(rng, HEX, 24)}-{rand(rng, HEX, 146)}"


def _azure_storage_key(rng):
    return base64.b64encode(bytes(rng.randrange(256) for _ in range(64))).decode()


def _google_service_account_key_id(rng):
    return rand(rng, HEX, 40)


F = SecretFormat
FORMATS: tuple[SecretFormat, ...] = (
    # Cloud providers
    F("aws-access-key-id", lambda r: "AKIA" + rand(r, BASE32, 16), "AWS_ACCESS_KEY_ID", "AWS IAM: access key IDs (AKIA/ASIA + 16)", "X-Amz-Access-Key: {}"),
    F("aws-temporary-key-id", lambda r: "ASIA" + rand(r, BASE32, 16), "AWS_ACCESS_KEY_ID", "AWS STS temporary credentials", "X-Amz-Access-Key: {}"),
    F("aws-secret-access-key", lambda r: rand(r, B64, 40), "AWS_SECRET_ACCESS_KEY", "AWS IAM: secret access key, 40 base64 characters", "X-Amz-Secret: {}", True),
    F("google-api-key", lambda r: "AIza" + rand(r, B64URL, 35), "GOOGLE_API_KEY", "Google Cloud: API keys (AIza + 35)", "query:key"),
    F("google-oauth-client-secret", lambda r: "GOCSPX-" + rand(r, B64URL, 28), "GOOGLE_CLIENT_SECRET", "Google OAuth client secrets (GOCSPX-)", "query:client_secret"),
    F("gcp-service-account-key-id", _google_service_account_key_id, "private_key_id", "GCP service account JSON key file", needs_keyword=True),
    F("azure-storage-account-key", _azure_storage_key, "AZURE_STORAGE_KEY", "Azure Storage: 512-bit account key, base64", "x-ms-key: {}", True),
    F("azure-ad-client-secret", _azure_ad_secret, "AZURE_CLIENT_SECRET", "Microsoft Entra app client secret (xxxQ~ 40 chars)", "query:client_secret"),
    F("alibaba-access-key-id", lambda r: "LTAI" + rand(r, ALNUM, 20), "ALIBABA_CLOUD_ACCESS_KEY_ID", "Alibaba Cloud AccessKey ID (LTAI)"),
    F("tencent-secret-id", lambda r: "AKID" + rand(r, ALNUM, 32), "TENCENTCLOUD_SECRET_ID", "Tencent Cloud SecretId (AKID + 32)"),
    F("digitalocean-pat", lambda r: "dop_v1_" + rand(r, HEX, 64), "DIGITALOCEAN_TOKEN", "DigitalOcean token prefixes (dop_v1_)"),
    F("digitalocean-oauth", lambda r: "doo_v1_" + rand(r, HEX, 64), "DIGITALOCEAN_ACCESS_TOKEN", "DigitalOcean token prefixes (doo_v1_)"),
    F("ibm-cloud-api-key", lambda r: rand(r, B64URL, 44), "IBMCLOUD_API_KEY", "IBM Cloud API keys, 44 characters", "apikey: {}", True),
    F("heroku-api-key", _uuid, "HEROKU_API_KEY", "Heroku API key (UUID)", needs_keyword=True),
    F("cloudflare-api-token", lambda r: rand(r, B64URL, 40), "CLOUDFLARE_API_TOKEN", "Cloudflare API tokens, 40 characters", needs_keyword=True),
    F("cloudflare-origin-ca-key", _cloudflare_origin_ca, "CF_ORIGIN_CA_KEY", "Cloudflare Origin CA key (v1.0-)", "X-Auth-User-Service-Key: {}"),
    F("supabase-access-token", lambda r: "sbp_" + rand(r, HEX, 40), "SUPABASE_ACCESS_TOKEN", "Supabase personal access tokens (sbp_)"),
    F("vercel-token", lambda r: rand(r, ALNUM, 24), "VERCEL_TOKEN", "Vercel access tokens, 24 characters", needs_keyword=True),
    F("netlify-pat", lambda r: "nfp_" + rand(r, ALNUM, 36), "NETLIFY_AUTH_TOKEN", "Netlify personal access tokens (nfp_)"),
    F("fly-io-token", lambda r: "fm2_" + rand(r, B64URL, 120), "FLY_API_TOKEN", "Fly.io macaroon tokens (FlyV1 fm2_)", "Authorization: FlyV1 {}"),
    F("planetscale-token", lambda r: "pscale_tkn_" + rand(r, B64URL, 43), "PLANETSCALE_SERVICE_TOKEN", "PlanetScale service tokens (pscale_tkn_)"),
    F("planetscale-password", lambda r: "pscale_pw_" + rand(r, B64URL, 43), "DATABASE_PASSWORD", "PlanetScale passwords (pscale_pw_)"),
    # Source control and package registries
    F("github-pat-classic", _github("ghp_"), "GITHUB_TOKEN", "GitHub token formats (ghp_ + 30 + CRC32)", "Authorization: token {}"),
    F("github-oauth-token", _github("gho_"), "GH_OAUTH_TOKEN", "GitHub token formats (gho_)", "Authorization: token {}"),
    F("github-app-installation", _github("ghs_"), "GITHUB_APP_TOKEN", "GitHub token formats (ghs_)", "Authorization: token {}"),
    F("github-refresh-token", _github("ghr_"), "GITHUB_REFRESH_TOKEN", "GitHub token formats (ghr_)"),
    F("github-pat-fine-grained", lambda r: f"github_pat_{rand(r, ALNUM, 22)}_{rand(r, ALNUM, 59)}", "GITHUB_PAT", "GitHub fine-grained PATs (github_pat_)"),
    F("gitlab-pat", lambda r: "glpat-" + rand(r, B64URL, 20), "GITLAB_TOKEN", "GitLab token prefixes (glpat-)", "PRIVATE-TOKEN: {}"),
    F("gitlab-pipeline-trigger", lambda r: "glptt-" + rand(r, HEX, 40), "CI_TRIGGER_TOKEN", "GitLab token prefixes (glptt-)", "query:token"),
    F("gitlab-runner-token", lambda r: "glrt-" + rand(r, B64URL, 20), "RUNNER_TOKEN", "GitLab token prefixes (glrt-)"),
    F("gitlab-deploy-token", lambda r: "gldt-" + rand(r, B64URL, 20), "GITLAB_DEPLOY_TOKEN", "GitLab token prefixes (gldt-)"),
    F("npm-access-token", lambda r: "npm_" + rand(r, ALNUM, 36), "NPM_TOKEN", "npm access tokens (npm_)"),
    F("pypi-api-token", _pypi, "TWINE_PASSWORD", "PyPI API tokens (pypi- macaroon)", "basic:__token__"),
    F("rubygems-api-key", lambda r: "rubygems_" + rand(r, HEX, 48), "GEM_HOST_API_KEY", "RubyGems API keys (rubygems_)"),
    F("nuget-api-key", lambda r: "oy2" + rand(r, LOWER + DIGITS, 43), "NUGET_API_KEY", "NuGet API keys (oy2 + 43)", "X-NuGet-ApiKey: {}"),
    F("docker-hub-pat", lambda r: "dckr_pat_" + rand(r, B64URL, 27), "DOCKERHUB_TOKEN", "Docker Hub access tokens (dckr_pat_)"),
    F("clojars-token", lambda r: "CLOJARS_" + rand(r, HEX, 60), "CLOJARS_PASSWORD", "Clojars deploy tokens (CLOJARS_)"),
    F("bitbucket-app-password", lambda r: "ATBB" + rand(r, ALNUM, 32), "BITBUCKET_APP_PASSWORD", "Bitbucket app passwords (ATBB)"),
    F("atlassian-api-token", lambda r: "ATATT3xFfGF0" + rand(r, B64URL, 170) + "=" + rand(r, HEX.upper(), 8), "JIRA_API_TOKEN", "Atlassian API tokens (ATATT3)"),
    # Chat and collaboration
    F("slack-bot-token", _slack_bot, "SLACK_BOT_TOKEN", "Slack token types (xoxb-)"),
    F("slack-user-token", _slack_user, "SLACK_USER_TOKEN", "Slack token types (xoxp-)"),
    F("slack-app-token", lambda r: f"xapp-1-A{rand(r, UPPER + DIGITS, 10)}-{rand(r, DIGITS, 13)}-{rand(r, HEX, 64)}", "SLACK_APP_TOKEN", "Slack app-level tokens (xapp-)"),
    F("discord-bot-token", _discord_bot, "DISCORD_TOKEN", "Discord bot tokens (base64 id.timestamp.hmac)", "Authorization: Bot {}"),
    F("telegram-bot-token", _telegram, "TELEGRAM_BOT_TOKEN", "Telegram Bot API tokens (id:AA...)", "query:token"),
    F("linear-api-key", lambda r: "lin_api_" + rand(r, ALNUM, 40), "LINEAR_API_KEY", "Linear API keys (lin_api_)", "Authorization: {}"),
    F("notion-token", lambda r: f"ntn_{rand(r, DIGITS, 11)}{rand(r, ALNUM, 35)}", "NOTION_TOKEN", "Notion integration tokens (ntn_)"),
    F("notion-token-legacy", lambda r: "secret_" + rand(r, ALNUM, 43), "NOTION_API_KEY", "Notion integration tokens (secret_)"),
    F("asana-pat", _asana, "ASANA_ACCESS_TOKEN", "Asana personal access tokens (2/.../...:hex)"),
    F("airtable-pat", lambda r: f"pat{rand(r, ALNUM, 14)}.{rand(r, HEX, 64)}", "AIRTABLE_API_KEY", "Airtable personal access tokens (pat...)"),
    F("figma-pat", lambda r: "figd_" + rand(r, B64URL, 40), "FIGMA_TOKEN", "Figma personal access tokens (figd_)", "X-Figma-Token: {}"),
    F("contentful-pat", lambda r: "CFPAT-" + rand(r, B64URL, 43), "CONTENTFUL_MANAGEMENT_TOKEN", "Contentful personal access tokens (CFPAT-)"),
    # AI providers
    F("openai-api-key-legacy", _openai_legacy, "OPENAI_API_KEY", "OpenAI API keys (sk-...T3BlbkFJ...)"),
    F("openai-project-key", _openai_project, "OPENAI_API_KEY", "OpenAI project keys (sk-proj-)"),
    F("anthropic-api-key", _anthropic, "ANTHROPIC_API_KEY", "Anthropic API keys (sk-ant-api03-)", "x-api-key: {}"),
    F("huggingface-token", lambda r: "hf_" + rand(r, LOWER + UPPER, 34), "HF_TOKEN", "Hugging Face user access tokens (hf_)"),
    F("replicate-token", lambda r: "r8_" + rand(r, ALNUM, 37), "REPLICATE_API_TOKEN", "Replicate API tokens (r8_)", "Authorization: Token {}"),
    F("groq-api-key", lambda r: "gsk_" + rand(r, ALNUM, 52), "GROQ_API_KEY", "Groq API keys (gsk_)"),
    F("perplexity-api-key", lambda r: "pplx-" + rand(r, ALNUM, 48), "PERPLEXITY_API_KEY", "Perplexity API keys (pplx-)"),
    # Payments and commerce
    F("stripe-secret-key", lambda r: "sk_live_" + rand(r, ALNUM, 99), "STRIPE_SECRET_KEY", "Stripe API keys (sk_live_)"),
    F("stripe-restricted-key", lambda r: "rk_live_" + rand(r, ALNUM, 99), "STRIPE_RESTRICTED_KEY", "Stripe API keys (rk_live_)"),
    F("stripe-test-secret-key", lambda r: "sk_test_" + rand(r, ALNUM, 24), "STRIPE_API_KEY", "Stripe API keys (sk_test_)"),
    F("stripe-webhook-secret", lambda r: "whsec_" + rand(r, ALNUM, 32), "STRIPE_WEBHOOK_SECRET", "Stripe webhook signing secrets (whsec_)"),
    F("square-access-token", lambda r: "EAAA" + rand(r, B64URL, 60), "SQUARE_ACCESS_TOKEN", "Square access tokens (EAAA)"),
    F("square-oauth-secret", lambda r: "sq0csp-" + rand(r, B64URL, 43), "SQUARE_APP_SECRET", "Square application secrets (sq0csp-)"),
    F("braintree-access-token", _braintree, "BRAINTREE_ACCESS_TOKEN", "Braintree access tokens (access_token$production$)"),
    F("shopify-access-token", lambda r: "shpat_" + rand(r, HEX, 32), "SHOPIFY_ACCESS_TOKEN", "Shopify token prefixes (shpat_)", "X-Shopify-Access-Token: {}"),
    F("shopify-shared-secret", lambda r: "shpss_" + rand(r, HEX, 32), "SHOPIFY_API_SECRET", "Shopify token prefixes (shpss_)"),
    F("shippo-live-token", lambda r: "shippo_live_" + rand(r, HEX, 40), "SHIPPO_API_TOKEN", "Shippo API tokens (shippo_live_)", "Authorization: ShippoToken {}"),
    # Messaging and email
    F("sendgrid-api-key", _sendgrid, "SENDGRID_API_KEY", "SendGrid API keys (SG.22.43)"),
    F("mailgun-api-key", lambda r: "key-" + rand(r, HEX, 32), "MAILGUN_API_KEY", "Mailgun private API keys (key-)", "basic:api"),
    F("mailchimp-api-key", lambda r: rand(r, HEX, 32) + "-us" + str(r.randint(1, 21)), "MAILCHIMP_API_KEY", "Mailchimp API keys (hex-usNN)"),
    F("twilio-api-key-sid", lambda r: "SK" + rand(r, HEX, 32), "TWILIO_API_KEY", "Twilio API key SIDs (SK + 32 hex)"),
    F("twilio-auth-token", lambda r: rand(r, HEX, 32), "TWILIO_AUTH_TOKEN", "Twilio auth tokens (32 hex)", needs_keyword=True),
    F("postmark-server-token", _uuid, "POSTMARK_SERVER_TOKEN", "Postmark server tokens (UUID)", "X-Postmark-Server-Token: {}", True),
    F("firebase-fcm-server-key", _firebase_fcm, "FCM_SERVER_KEY", "Firebase Cloud Messaging legacy server keys", "Authorization: key={}"),
    F("twitter-bearer-token", _twitter_bearer, "TWITTER_BEARER_TOKEN", "X/Twitter app-only bearer tokens"),
    # Observability and ops
    F("datadog-api-key", lambda r: rand(r, HEX, 32), "DD_API_KEY", "Datadog API keys (32 hex)", "DD-API-KEY: {}", True),
    F("datadog-app-key", lambda r: rand(r, HEX, 40), "DD_APP_KEY", "Datadog application keys (40 hex)", "DD-APPLICATION-KEY: {}", True),
    F("new-relic-user-key", lambda r: "NRAK-" + rand(r, UPPER + DIGITS, 27), "NEW_RELIC_API_KEY", "New Relic user API keys (NRAK-)", "Api-Key: {}"),
    F("new-relic-license-key", lambda r: rand(r, HEX, 36) + "NRAL", "NEW_RELIC_LICENSE_KEY", "New Relic ingest license keys (...NRAL)", "X-License-Key: {}"),
    F("sentry-org-token", _sentry_org, "SENTRY_AUTH_TOKEN", "Sentry organization auth tokens (sntrys_)"),
    F("sentry-user-token", lambda r: "sntryu_" + rand(r, HEX, 64), "SENTRY_AUTH_TOKEN", "Sentry user auth tokens (sntryu_)"),
    F("grafana-service-account", lambda r: f"glsa_{rand(r, ALNUM, 32)}_{rand(r, HEX, 8)}", "GRAFANA_TOKEN", "Grafana service account tokens (glsa_)"),
    F("grafana-cloud-token", lambda r: "glc_" + rand(r, B64, 80) + "==", "GRAFANA_CLOUD_TOKEN", "Grafana Cloud access policy tokens (glc_)"),
    F("dynatrace-token", _dynatrace, "DT_API_TOKEN", "Dynatrace tokens (dt0c01.)", "Authorization: Api-Token {}"),
    F("pagerduty-api-key", lambda r: "u+" + rand(r, B64URL, 18), "PAGERDUTY_TOKEN", "PagerDuty REST API keys (20 chars)", "Authorization: Token token={}", True),
    F("okta-api-token", lambda r: "00" + rand(r, B64URL, 40), "OKTA_API_TOKEN", "Okta API tokens (00 + 40)", "Authorization: SSWS {}", True),
    F("hashicorp-vault-token", lambda r: "hvs." + rand(r, B64URL, 90), "VAULT_TOKEN", "Vault token prefixes (hvs.)", "X-Vault-Token: {}"),
    F("terraform-cloud-token", _terraform, "TFE_TOKEN", "Terraform Cloud API tokens (.atlasv1.)"),
    F("doppler-token", lambda r: "dp.pt." + rand(r, ALNUM, 43), "DOPPLER_TOKEN", "Doppler token prefixes (dp.pt.)"),
    F("pulumi-access-token", lambda r: "pul-" + rand(r, HEX, 40), "PULUMI_ACCESS_TOKEN", "Pulumi access tokens (pul-)"),
    F("databricks-token", lambda r: "dapi" + rand(r, HEX, 32), "DATABRICKS_TOKEN", "Databricks personal access tokens (dapi)"),
    F("postman-api-key", lambda r: f"PMAK-{rand(r, HEX, 24)}-{rand(r, HEX, 34)}", "POSTMAN_API_KEY", "Postman API keys (PMAK-)", "X-Api-Key: {}"),
    F("buildkite-token", lambda r: "bkua_" + rand(r, HEX, 40), "BUILDKITE_API_TOKEN", "Buildkite API access tokens (bkua_)"),
    F("dropbox-short-lived", lambda r: "sl." + rand(r, B64URL, 136), "DROPBOX_ACCESS_TOKEN", "Dropbox short-lived access tokens (sl.)"),
    F("mapbox-secret-token", _mapbox, "MAPBOX_SECRET_TOKEN", "Mapbox secret tokens (sk.eyJ...)", "query:access_token"),
    F("algolia-admin-key", lambda r: rand(r, HEX, 32), "ALGOLIA_ADMIN_KEY", "Algolia admin API keys (32 hex)", "X-Algolia-API-Key: {}", True),
    F("age-secret-key", _age, "AGE_SECRET_KEY", "age encryption secret keys (AGE-SECRET-KEY-1, bech32)"),
    F("adafruit-io-key", lambda r: "aio_" + rand(r, ALNUM, 28), "ADAFRUIT_IO_KEY", "Adafruit IO keys (aio_)", "X-AIO-Key: {}"),
    F("prefect-api-key", lambda r: "pnu_" + rand(r, ALNUM, 36), "PREFECT_API_KEY", "Prefect Cloud API keys (pnu_)"),
    F("readme-api-key", lambda r: "rdme_" + rand(r, HEX, 70), "README_API_KEY", "ReadMe API keys (rdme_)"),
    F("frameio-token", lambda r: "fio-u-" + rand(r, B64URL, 64), "FRAMEIO_TOKEN", "Frame.io developer tokens (fio-u-)"),
)

BY_NAME = {f.name: f for f in FORMATS}
assert len(BY_NAME) == len(FORMATS), "duplicate format name"
