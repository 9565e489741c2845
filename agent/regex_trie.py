"""One regex for a set of words, shaped as their trie: shared prefixes are matched once, so a pattern of
thousands of words costs about as much per position as one of a few. Used by the keyword dictionaries
(agent/org_data.py) and by the rule layer's word-presence pass (agent/pattern_scan.py)."""

from __future__ import annotations

import re
from typing import Iterable


def trie_regex(terms: Iterable[str]) -> str:
    """One pattern matching any of `terms`, longest first, as a trie: chains of one child stay literals."""
    root: dict = {}
    for term in terms:
        node = root
        for char in term:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict) -> str:
        branches = []
        for char in sorted(k for k in node if k):
            # Follow the single-child chain as one literal, so deep nesting only happens at real branches.
            literal = [char]
            child = node[char]
            while len(child) == 1 and "" not in child:
                (next_char, grandchild), = child.items()
                literal.append(next_char)
                child = grandchild
            branches.append(re.escape("".join(literal)) + build(child))
        ends_here = "" in node
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends_here:
            return "(?:" + body + ")?"
        return body

    return build(root)
