#!/usr/bin/env python3
"""The README's "a new scenario is a few lines" example is a real, compiled test: the code
block after that sentence must appear verbatim in scenarios/e2e/readme_example_test.cpp."""
import pathlib
import re
import sys

root = pathlib.Path(__file__).resolve().parent.parent
readme = (root / "README.md").read_text()
match = re.search(r"A new scenario is a few lines:\s*```cpp\n(.*?)```", readme, re.S)
if not match:
    sys.exit("README.md has no ```cpp block after 'A new scenario is a few lines:'")
test = (root / "scenarios/e2e/readme_example_test.cpp").read_text()
if match.group(1).strip() not in test:
    sys.exit("README.md's example differs from scenarios/e2e/readme_example_test.cpp: "
             "copy the TEST from the file into the README")
print("ok: the README's example is scenarios/e2e/readme_example_test.cpp")
