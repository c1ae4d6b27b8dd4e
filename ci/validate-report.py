#!/usr/bin/python3
"""Validates a report.json against reports/report.schema.json (Debian's python3-jsonschema)."""
import json
import sys
from pathlib import Path

import jsonschema

schema = json.loads((Path(__file__).resolve().parent.parent / "reports" / "report.schema.json").read_text())
report = json.loads(Path(sys.argv[1]).read_text())
errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(report), key=lambda e: list(e.path))
for error in errors:
    print(f"{sys.argv[1]}: {'/'.join(map(str, error.path)) or '(top)'}: {error.message}")
if errors:
    sys.exit(1)
print(f"{sys.argv[1]}: valid against report.schema.json")
