"""The fixture sites: host names, composers, send controls and the shape of each fake API call.

Each fixture page reproduces one real site closely enough for the extension's adapter to find it: the
same composer element built with the same editor library, the same send control, and an API call of the
same shape. `prompt_of()` reads back the prompt text from a recorded call, so a test can say what the
"AI service" received without knowing each site's wire format.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from urllib.parse import parse_qs


@dataclass(frozen=True)
class FixtureSite:
    host: str
    bundle: str  # fixtures/src/<bundle>.js, built to fixtures/build/<bundle>.js; the page is pages/<bundle>.html
    editor: str  # prosemirror | quill | textarea
    composer: str  # CSS selector of the element that takes the focus and the keys
    send: str  # CSS selector of the send control
    api: str  # path prefix of the call that carries the prompt on send
    guarded_by_default: bool = True

    @property
    def origin(self) -> str:
        return f"https://{self.host}"

    @property
    def url(self) -> str:
        return f"https://{self.host}/"


CHATGPT = FixtureSite(
    host="chatgpt.com",
    bundle="chatgpt",
    editor="prosemirror",
    composer="div#prompt-textarea.ProseMirror[contenteditable]",
    send="button#composer-submit-button[data-testid=send-button]",
    api="/backend-api/conversation",
)
CLAUDE = FixtureSite(
    host="claude.ai",
    bundle="claude",
    editor="prosemirror",
    composer="div.ProseMirror[contenteditable][role=textbox]",
    send='button[aria-label="Send message"]',
    api="/api/organizations/",
)
GEMINI = FixtureSite(
    host="gemini.google.com",
    bundle="gemini",
    editor="quill",
    composer="rich-textarea .ql-editor",
    send="button.send-button",
    api="/_/BardChatUi/data/",
)
COPILOT = FixtureSite(
    host="copilot.microsoft.com",
    bundle="copilot",
    editor="textarea",
    composer="textarea#userInput",
    send='button[title="Submit message"]',
    api="/c/api/chat",
)
# Not in the built-in list: guarded only once a policy adds it (sites.extra).
EXAMPLE_AI = FixtureSite(
    host="chat.example-ai.test",
    bundle="example-ai",
    editor="textarea",
    composer="textarea#message",
    send="button#send",
    api="/api/chat",
    guarded_by_default=False,
)

ALL_SITES = (CHATGPT, CLAUDE, GEMINI, COPILOT, EXAMPLE_AI)
BY_HOST = {site.host: site for site in ALL_SITES}

# ChatGPT's typing-time call: the network guard's case.
CHATGPT_PREPARE = "/backend-api/conversation/prepare"
# ChatGPT's attachments: the file input (hidden, as the paperclip's is) and the call each chosen file makes.
CHATGPT_FILE_INPUT = "input#upload-files[type=file]"
CHATGPT_UPLOAD = "/backend-api/files"


@dataclass(frozen=True)
class Upload:
    name: str
    content: bytes


def upload_of(body: str) -> Upload:
    """The file a fixture page uploaded in this call (common.js acceptUploads)."""
    payload = json.loads(body)
    return Upload(payload["file_name"], base64.b64decode(payload["content_base64"]))


def prompt_of(host: str, path: str, body: str) -> str | None:
    """The prompt text a fixture page put into this call, or None when the call carries none."""
    try:
        if host == CHATGPT.host and path == CHATGPT_PREPARE:
            return json.loads(body)["partial_query"]["content"]["parts"][0]
        if host == CHATGPT.host and path == CHATGPT.api:
            return json.loads(body)["messages"][0]["content"]["parts"][0]
        if host == CLAUDE.host and path.startswith(CLAUDE.api) and path.endswith("/completion"):
            return json.loads(body)["prompt"]
        if host == GEMINI.host and path.startswith(GEMINI.api):
            # Gemini's batchexecute shape: f.req=[null,"[[\"prompt\",...],...]"], form-encoded.
            outer = json.loads(parse_qs(body)["f.req"][0])
            return json.loads(outer[1])[0][0]
        if host == COPILOT.host and path == COPILOT.api:
            message = json.loads(body)
            if message.get("event") == "send":
                return "".join(part["text"] for part in message["content"] if part["type"] == "text")
        if host == EXAMPLE_AI.host and path == EXAMPLE_AI.api:
            return json.loads(body)["message"]
    except (KeyError, IndexError, TypeError, ValueError):
        return None
    return None


def host_resolver_rules(port: int) -> str:
    """Every fixture host to the loopback server; anything else fails to resolve, so no test touches
    the network by accident."""
    maps = [f"MAP {site.host} 127.0.0.1:{port}" for site in ALL_SITES]
    return ", ".join(maps + ["MAP * ~NOTFOUND", "EXCLUDE 127.0.0.1"])
