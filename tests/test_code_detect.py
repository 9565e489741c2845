"""Source-code detection (agent/code_detect.py): is it code, where, which language; prose is not code."""

import pytest

from promptfence.agent.code_detect import code_info, find_code_regions, guess_language
from promptfence.agent.layout import analyse_layout, split_lines

PROSE = (
    "I have been trying to get the new reporting dashboard to load faster for weeks now. The main problem seems "
    "to be that every widget makes its own request to the backend. Could you suggest a caching strategy?",
    "Write a short story about a lighthouse keeper who discovers that the light has been guiding ships to the "
    "wrong harbour for years. Keep it under five hundred words and make the ending hopeful.",
    "Summarise the main arguments for and against a four-day working week, with a focus on small manufacturing "
    "firms. Use plain language and no more than eight bullet points.",
    "What is the difference between a mutex and a semaphore, and when would I prefer one over the other in a "
    "system that processes sensor data from many devices at once?",
    "Dear Mr. Hashimoto, thank you for your patience while we investigated the issue with your order (ref: 4471). "
    "It has now been released and should reach you in Osaka within four working days.",
)

SAMPLES = {
    "python": "import os\nfrom pathlib import Path\n\ndef load(path):\n    with open(path) as handle:\n"
              "        data = handle.read()\n    if not data:\n        return None\n    return data.split(',')\n",
    "javascript": "const express = require('express');\nconst app = express();\napp.get('/', (req, res) => {\n"
                  "  res.send('Hello World!');\n});\napp.listen(3000, () => console.log('listening'));\n",
    "typescript": "interface User {\n  name: string;\n  age: number;\n}\n\nexport function greet(user: User): void {\n"
                  "  console.log(`hi ${user.name}`);\n}\n",
    "java": "package com.acme.billing;\n\nimport java.util.List;\n\npublic class Invoice {\n    @Override\n"
            "    public String toString() {\n        return \"invoice\";\n    }\n}\n",
    "c": "#include <stdio.h>\n#include <stdlib.h>\n\nint main(void) {\n    char *buffer = malloc(64);\n"
         "    printf(\"%s\\n\", buffer);\n    free(buffer);\n    return 0;\n}\n",
    "cpp": "#include <iostream>\n#include <vector>\n\nint main() {\n    std::vector<int> values{1, 2, 3};\n"
           "    for (auto v : values) {\n        std::cout << v << std::endl;\n    }\n}\n",
    "csharp": "using System;\n\nnamespace Acme.Billing\n{\n    public class Customer\n    {\n"
              "        public string Name { get; set; }\n        public void Greet() { Console.WriteLine(Name); }\n    }\n}\n",
    "go": "package main\n\nimport \"fmt\"\n\nfunc main() {\n    total := 0\n    for i := 0; i < 10; i++ {\n"
          "        total += i\n    }\n    fmt.Println(total)\n}\n",
    "rust": "use std::io;\n\nfn main() {\n    let mut line = String::new();\n"
            "    io::stdin().read_line(&mut line).unwrap();\n    println!(\"{}\", line.trim());\n}\n",
    "ruby": "require 'json'\n\nclass Customer\n  attr_accessor :name\n\n  def greet\n    puts \"hello #{@name}\"\n"
            "  end\nend\n",
    "php": "<?php\nclass Cart {\n    private $items = [];\n    public function add($item) {\n"
           "        $this->items[] = $item;\n        echo count($this->items);\n    }\n}\n",
    "shell": "#!/bin/bash\nset -euo pipefail\nfor file in /var/log/app/*.log; do\n  gzip -9 \"$file\"\ndone\n"
             "if [ -z \"$TARGET\" ]; then\n  echo \"missing target\"\nfi\n",
    "sql": "SELECT c.id, c.email, o.total\nFROM customers c\nJOIN orders o ON o.customer_id = c.id\n"
           "WHERE o.created_at > '2024-01-01'\nORDER BY o.total DESC\nLIMIT 50;\n",
    "html": "<!DOCTYPE html>\n<html>\n<head>\n  <title>Orders</title>\n</head>\n<body>\n"
            "  <div class=\"list\"><p>No orders yet.</p></div>\n</body>\n</html>\n",
    "xml": "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<config xmlns=\"urn:acme:config\">\n"
           "  <item key=\"retries\">3</item>\n  <item key=\"timeout\">30</item>\n  <item key=\"mode\">fast</item>\n</config>\n",
    "json": "{\n  \"name\": \"billing\",\n  \"version\": \"1.4.2\",\n  \"private\": true,\n  \"dependencies\": {\n"
            "    \"express\": \"^4.19.0\"\n  }\n}\n",
    "yaml": "server:\n  host: 0.0.0.0\n  port: 8080\ndatabase:\n  name: billing\n  pool: 5\nlogging:\n  level: info\n",
    "css": "body {\n  margin: 0;\n  font-family: sans-serif;\n}\n\n.button:hover {\n  background: #336699;\n"
           "  color: white;\n}\n",
}


def regions(text, min_lines=5):
    return find_code_regions(text, split_lines(text), min_lines=min_lines)


@pytest.mark.parametrize("language", sorted(SAMPLES))
def test_when_code_is_pasted_then_one_region_with_its_language(language):
    text = SAMPLES[language]
    found = regions(text)
    assert len(found) == 1
    assert found[0].language == language
    # The region covers the code: from the first line to the last non-blank one.
    assert text[found[0].start:found[0].end].strip() == text.strip()


@pytest.mark.parametrize("language", sorted(SAMPLES))
def test_when_language_is_guessed_then_it_is_the_samples(language):
    assert guess_language(SAMPLES[language]) == language


@pytest.mark.parametrize("paragraph", PROSE, ids=lambda p: p[:30])
def test_when_text_is_prose_then_not_code(paragraph):
    text = "\n".join([paragraph] * 3)
    assert regions(text, min_lines=1) == []


@pytest.mark.parametrize("text", [
    "Dear Ms. Alvarez,\n\nthank you for your order.\nIt will ship on Monday.\nThe invoice is attached.\n"
    "If anything is missing, reply to this e-mail.\n\nBest regards,\nTom",
    "Shopping list:\n- eggs\n- milk (2 litres)\n- bread\n- apples\n- coffee\n",
    "Agenda\n1. Budget review\n2. Hiring plan for Q3\n3. Office move\n4. Any other business\n5. Next meeting date\n",
    "id,first_name,last_name,city\n1,John,Smith,Boston\n2,Jane,Doe,Austin\n3,Ana,Lima,Porto\n4,Li,Wei,Oslo\n5,Al,Bo,Rome\n",
], ids=["letter", "list", "agenda", "csv"])
def test_when_text_is_everyday_structure_then_not_code(text):
    assert regions(text) == []


def test_when_prose_holds_one_code_block_then_the_region_is_the_block():
    block = SAMPLES["python"].rstrip("\n")
    text = ("Hi, my script below crashes when the file is empty and I do not understand why.\n\n"
            + block + "\n\nThanks a lot for any help, I have been stuck on this all day.\n")
    found = regions(text)
    assert len(found) == 1
    assert (found[0].start, found[0].end) == (text.index(block), text.index(block) + len(block))


def test_when_code_is_fenced_then_the_fence_language_is_used():
    body = "x = 1\ny = 2\nz = x + y\nw = z * 2\nv = w - 1\n"
    text = "Look at this:\n```ruby\n" + body + "```\nWhat does it print?"
    found = regions(text)
    assert [r.language for r in found] == ["ruby"]
    assert text[found[0].start:found[0].end] == body.rstrip("\n")


def test_when_two_code_blocks_are_separated_by_prose_then_two_regions():
    text = SAMPLES["python"] + "\nAnd here is the query that feeds it:\n\n" + SAMPLES["sql"]
    assert [r.language for r in regions(text)] == ["python", "sql"]


@pytest.mark.parametrize("min_lines, expected", [(3, True), (9, False)])
def test_when_code_is_shorter_than_min_lines_then_not_reported(min_lines, expected):
    text = "def f(x):\n    y = x + 1\n    return y * 2\n"
    assert bool(regions(text, min_lines=min_lines)) is expected


def test_when_code_info_is_asked_then_share_counts_code_lines():
    text = "Please review this.\n\n" + SAMPLES["go"]
    layout = analyse_layout(text)
    info = code_info(text, layout.lines, layout.code_regions)
    assert info.is_code and info.language == "go"
    assert 0.8 < info.share < 1.0
    assert info.as_dict()["language"] == "go"


def test_when_a_megabyte_of_code_is_pasted_then_it_is_one_region():
    text = SAMPLES["javascript"] * (1_000_000 // len(SAMPLES["javascript"]))
    found = regions(text)
    assert len(found) == 1 and found[0].language == "javascript"
    assert found[0].end == len(text.rstrip("\n"))
