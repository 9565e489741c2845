"""HTTP header runs in a paste (agent/layout.py): a shared header name counts in a run with a sure one."""

from __future__ import annotations

from promptfence.agent.layout import analyse_layout, http_header_lines, split_lines


def marked(text: str) -> list[int]:
    return http_header_lines(text, split_lines(text))


def test_when_a_long_run_of_shared_header_names_ends_in_a_sure_header_then_every_line_is_a_header():
    text = "Via: proxy\n" * 3000 + "Content-Type: text/html\n"
    assert marked(text) == list(range(3001))


def test_when_a_blank_line_splits_the_run_then_only_the_part_with_the_sure_header_is_marked():
    text = "Location: Glasgow office\nDate: Monday\n\nHost: example.com\nX-Request-Id: 7\nVia: proxy\n"
    assert marked(text) == [3, 4, 5]
    layout = analyse_layout(text)
    assert [text[a:b] for a, b in layout.prose] == ["Location: Glasgow office\nDate: Monday"]


def test_when_no_sure_header_is_present_then_shared_names_stay_form_labels():
    assert marked("Location: Glasgow\nDate: Monday\nHost: Anna Smith\n") == []
