#!/usr/bin/env python3
"""The evidence for each stale key of one failed run of
scenarios/files/upstream/incremental_snapshot_signal_table.cdc, from its kept topics: the last streamed change of the key before the stale read (offset, txId, LSN,
commit time, value), the chunk's open and close watermarks (the signal table's own change
events) and where the change falls in the stream relative to the window. (Debezium's
"Removed '…' from window" lines name no key unless io.debezium.util.Loggings logs at TRACE,
and Connect's log lines carry no connector, so they cannot be tied to a run's keys; stream
order is what Debezium's deduplication itself goes by.)

Stream order is commit order: an event's source.sequence[0] is the commit LSN of the
transaction streamed before its own (PostgresOffsetContext.updateCommitPosition), so of two
transactions the one with the smaller sequence[0] was streamed first. source.ts_us is the
commit time pgoutput's BEGIN message carries.

usage: stale-read-evidence.py BOOTSTRAP RUN_LOG
(RUN_LOG: what `cdc-harness run --keep-topics` printed for the failed run)
"""
import json
import re
import subprocess
import sys


def records(bootstrap, topic):
    out = subprocess.run(["kcat", "-C", "-b", bootstrap, "-t", topic, "-e", "-q", "-J"],
                         check=True, capture_output=True, text=True).stdout
    for line in out.splitlines():
        r = json.loads(line)
        value = json.loads(r["payload"]) if r.get("payload") else None
        if isinstance(value, dict) and "payload" in value and "schema" in value:
            value = value["payload"]
        key = json.loads(r["key"]) if r.get("key") else None
        if isinstance(key, dict) and "payload" in key and "schema" in key:
            key = key["payload"]
        yield {"offset": r["offset"], "key": key, "value": value}


def topics(bootstrap):
    out = subprocess.run(["kcat", "-L", "-b", bootstrap, "-J"], check=True,
                         capture_output=True, text=True).stdout
    return [t["topic"] for t in json.loads(out)["topics"]]


def state(event):
    after = event["value"]["after"]
    return "deleted" if after is None else f"v={after['v']}"


def seq0(source):
    return int(json.loads(source["sequence"])[0])


def main():
    bootstrap, run_log = sys.argv[1:3]
    text = open(run_log).read()
    prefix = re.search(r"kept the topics of .*: (\S+)\.\*", text).group(1)
    keys = [json.loads(k) for k in re.findall(r"^  key (\{[^}]*\}): ", text, re.M)]
    keys = list({json.dumps(k, sort_keys=True): k for k in keys}.values())
    names = topics(bootstrap)
    data_topic = next(t for t in names if t.startswith(prefix + ".public.inc_") and "signals" not in t)
    signal_topic = next(t for t in names if t.startswith(prefix + ".public.inc_signals"))
    events = list(records(bootstrap, data_topic))
    signals = [r["value"] for r in records(bootstrap, signal_topic) if r["value"] and r["value"].get("after")]

    rows = []
    for key in keys:
        mine = [e for e in events if e["key"] == key and e["value"]]
        if not mine or mine[-1]["value"]["op"] != "r":
            rows.append((key, "its last event is no snapshot read: not a stale read"))
            continue
        read = mine[-1]
        rsrc = read["value"]["source"]
        changes = [e for e in mine[:-1] if e["value"]["op"] in ("c", "u", "d")]
        change = changes[-1] if changes else None
        # The chunk's close watermark is the one the read was emitted at: a read carries the
        # stream position (source.sequence) of the close; its open watermark is the same
        # chunk's "-open" row.
        close = next((s for s in signals if s["after"]["id"].endswith("-close")
                      and s["source"]["sequence"] == rsrc["sequence"]), None)
        chunk = close["after"]["id"][:-len("-close")] if close else None
        opened = next((s for s in signals if s["after"]["id"] == f"{chunk}-open"), None)
        rows.append((key, read, change, opened, close))

    print(f"topic {data_topic}, watermarks on {signal_topic}")
    print("| key | stale read: offset, v | last change before it: offset, txId, LSN, commit (ts_us), v "
          "| open watermark: txId, LSN, commit | close watermark: LSN | change streamed | "
          "commit before open by |")
    print("|---|---|---|---|---|---|---|")
    confirmed = 0
    for row in rows:
        if len(row) == 2:
            print(f"| {json.dumps(row[0])} | {row[1]} |  |  |  |  |  |")
            continue
        key, read, change, opened, close = row
        rv = read["value"]["after"]["v"]
        if not change or not opened:
            print(f"| {key['id']} | {read['offset']}, v={rv} | {'none' if not change else 'found'} | "
                  f"{'not found' if not opened else 'found'} |  |  |  |")
            continue
        c, o = change["value"]["source"], opened["source"]
        before_open = seq0(c) < seq0(o)
        if before_open and state(change) != f"v={rv}":
            confirmed += 1
        gap = o["ts_us"] - c["ts_us"] if "ts_us" in o and "ts_us" in c else None
        print(f"| {key['id']} | {read['offset']}, v={rv} | {change['offset']}, {c['txId']}, {c['lsn']}, "
              f"{c.get('ts_us')}, {state(change)} | {o['txId']}, {o['lsn']}, "
              f"{o.get('ts_us')} | {close['source']['lsn'] if close else '?'} | "
              f"{'before the window opened' if before_open else 'inside the window'} | "
              f"{'' if gap is None else f'{gap} µs'} |")
    print(f"{confirmed} of {len(rows)} stale keys: the change committed and was streamed before the "
          "window opened, yet the chunk's SELECT (run after the open watermark's commit) read the row "
          "as it was before it")


if __name__ == "__main__":
    main()
