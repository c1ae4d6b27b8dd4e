#!/usr/bin/env python3
"""The include-order lint: every #include "harness/<room>/..." must point down the order of
rooms (CMakeLists.txt states it once and passes it here), and no header of a room above the
workload may include libpqxx. Usage: check-includes.py SOURCE_DIR ROOM ROOM ..."""
import pathlib
import re
import sys

source = pathlib.Path(sys.argv[1])
order = sys.argv[2:]
rank = {room: i for i, room in enumerate(order)}
include = re.compile(r'#include\s+[<"]([^>"]+)[>"]')
problems = []
rooms = sorted(p.name for p in (source / "harness").iterdir() if p.is_dir())
for room in rooms:
    if room not in rank:
        problems.append(f"harness/{room}/ is a room the order in CMakeLists.txt (CDC_ROOM_ORDER) does not name")
for path in sorted((source / "harness").glob("*/*.[ch]pp")):
    room = path.parent.name
    if room not in rank:
        continue
    for number, line in enumerate(path.read_text().splitlines(), 1):
        m = include.match(line.strip())
        if not m:
            continue
        target = m.group(1)
        where = f"{path.relative_to(source)}:{number}"
        if target.startswith("harness/"):
            to = target.split("/")[1]
            if to in rank and rank[to] > rank[room]:
                problems.append(f"{where}: {room}/ includes {target}, a room above it "
                                f"({' < '.join(order)})")
        elif target.startswith("pqxx/") and path.suffix == ".hpp" and rank[room] > rank["workload"]:
            problems.append(f"{where}: a header of {room}/ includes <{target}>: libpqxx stays "
                            f"below the workload (keep it in the .cpp)")
for p in problems:
    print(p)
if problems:
    sys.exit(1)
print(f"ok: includes point down {' < '.join(order)}")
