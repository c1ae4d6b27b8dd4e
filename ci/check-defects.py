#!/usr/bin/env python3
"""The defect table (reports/upstream/defects.json) is the one place that names upstream fix
versions. Checks that the README's table of known defects is rendered from it, unchanged, and
that no other text of the repository claims a fix version ("fixed in 3.7.0") or compares
versions in test code instead of asking the table.

Usage: ci/check-defects.py [--write]   (--write renders the README's table from the file)
"""
import json
import pathlib
import re
import sys

root = pathlib.Path(__file__).resolve().parent.parent
table = json.loads((root / "reports/upstream/defects.json").read_text())
begin, end = "<!-- defects: rendered from reports/upstream/defects.json by ci/check-defects.py --write -->", "<!-- defects: end -->"


def render():
    lines = ["| defect | what | first fixed, per release line | the fix | reproduced by | mechanism |",
             "|---|---|---|---|---|---|"]
    for d in table["defects"]:
        fixed = ", ".join(f"{line}: {release}" for line, release in sorted(d["fixed_in"].items())) or "not fixed"
        if d.get("introduced_in"):
            fixed += f" (introduced in {d['introduced_in']})"
        if not d.get("fix_links"):
            sys.exit(f"reports/upstream/defects.json: {d['id']} links no fix (fix_links)")
        fix = ", ".join(f"[{link['text']}]({link['url']})" for link in d["fix_links"])
        lines.append(f"| [{d['id']}]({d['link']}) | {d['title']} | {fixed} | {fix} | `{d['scenario']}` | "
                     f"{d['mechanism']} |")
    return "\n".join(lines)


readme_path = root / "README.md"
readme = readme_path.read_text()
if begin not in readme or end not in readme:
    sys.exit(f"README.md has no defect table between '{begin}' and '{end}'")
head, rest = readme.split(begin, 1)
current, tail = rest.split(end, 1)
wanted = "\n" + render() + "\n"
if "--write" in sys.argv:
    readme_path.write_text(head + begin + wanted + end + tail)
    print("README.md: defect table rendered")
elif current != wanted:
    sys.exit("README.md's defect table differs from reports/upstream/defects.json: "
             "run ci/check-defects.py --write")

problems = []
claim = re.compile(r"fixed in \d+\.\d+", re.IGNORECASE)
for path in [readme_path, *root.glob("scenarios/**/*.cpp"), *root.glob("scenarios/**/*.hpp"),
             *root.glob("harness/**/*.cpp"), *root.glob("harness/**/*.hpp")]:
    text = path.read_text()
    if path == readme_path:
        text = head + tail  # the rendered table may name them
    for number, line in enumerate(text.splitlines(), 1):
        if claim.search(line):
            problems.append(f"{path.relative_to(root)}:{number}: names a fix version outside the defect table: {line.strip()[:120]}")
for path in root.glob("scenarios/**/*_test.cpp"):
    for number, line in enumerate(path.read_text().splitlines(), 1):
        if "version_before" in line or re.search(r'compare_versions\([^)]*"\d', line) and "unit" not in path.parts:
            problems.append(f"{path.relative_to(root)}:{number}: compares versions instead of asking the defect table")
if problems:
    sys.exit("\n".join(problems))
print(f"defect table: {len(table['defects'])} defects; README's table matches; no fix version named elsewhere")
