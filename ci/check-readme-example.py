#!/usr/bin/env python3
"""The README's examples are real tests: the code block after "a new scenario is a few lines"
must appear verbatim in scenarios/e2e/readme_example_test.cpp, and the scenario-file example
must be scenarios/files/readme_example.cdc."""
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
scenario = re.search(r"This is `scenarios/files/readme_example.cdc`, run by ctest:\s*```\n(.*?)```",
                     readme, re.S)
if not scenario:
    sys.exit("README.md has no scenario-file example after 'This is `scenarios/files/readme_example.cdc`'")
if scenario.group(1) != (root / "scenarios/files/readme_example.cdc").read_text():
    sys.exit("README.md's scenario-file example differs from scenarios/files/readme_example.cdc: "
             "copy the file into the README")
print("ok: the README's examples are scenarios/e2e/readme_example_test.cpp and "
      "scenarios/files/readme_example.cdc")
