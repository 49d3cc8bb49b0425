#!/usr/bin/env python3
"""Measures how fast a cluster under load recovers from a SIGKILLed primary (BENCHMARKS.md, "primary
SIGKILLed at saturation").

It runs `bench --cluster 4 --keep-cluster` with the given bench arguments, SIGKILLs the replica that is
primary KILL_AFTER seconds into the measured pass (after signing), and once the bench has finished
reads the block log of a surviving replica (its "committed block H with C transactions (view V"
lines, timestamped when the block was stored) and prints:

  kill_view, killed_replica      the view and the primary at the kill
  first_block_s                  from the kill to the first block of a later view stored at the
                                 survivor (all replicas share this machine's clock)
  full_rate_s                    from the kill to the start of the first 2 s window after it that
                                 holds at least 90 % of the transactions per 2 s of the 10 s before it
  pre_kill_tps                   that rate, in transactions per second

Usage (from the repository root, after ./mvnw -DskipTests package):
  python3 docs/bench/primary-kill.py KILL_AFTER <bench arguments...>
e.g.
  python3 docs/bench/primary-kill.py 30 --payload-bytes 256 --jvm-option=-Xmx512m \\
      --transactions 200000 --duration 60 --concurrency 2048 --batch-size 100 --warmup-transactions 15000
Only the standard library; loopback HTTP to the replicas the bench started (to find the primary).
"""
import datetime
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request

WINDOW_S = 2.0
PRE_KILL_S = 10.0
FULL_RATE_SHARE = 0.9


def get(url):
    with urllib.request.urlopen(url, timeout=5) as answer:
        return json.load(answer)


def replica_urls(cluster_dir):
    with open(os.path.join(cluster_dir, "keys", "membership.yml")) as f:
        return re.findall(r"url: (http\S+)", f.read())


def replica_pid(cluster_dir, replica):
    marker = "--ledger.data-dir=" + os.path.join(cluster_dir, "replica-%d" % replica)
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                with open("/proc/%s/cmdline" % pid, "rb") as f:
                    if marker.encode() in f.read().replace(b"\0", b" ") + b" ":
                        return int(pid)
            except OSError:
                pass
    raise SystemExit("primary-kill: no process for replica %d of %s" % (replica, cluster_dir))


def stored_blocks(log_file):
    """(stored at, in seconds since the epoch; transactions; view) of each block the log names, in order."""
    out = []
    with open(log_file) as f:
        for line in f:
            m = re.search(r"committed block \d+ with (\d+) transactions \(view (\d+)", line)
            if m:
                at = datetime.datetime.fromisoformat(line[:23]).replace(tzinfo=datetime.timezone.utc).timestamp()
                out.append((at, int(m.group(1)), int(m.group(2))))
    return out


def main():
    if len(sys.argv) < 3:
        raise SystemExit("usage: primary-kill.py KILL_AFTER_SECONDS <bench arguments...>")
    kill_after = float(sys.argv[1])
    jar = os.path.join("target", "pbft-ledger.jar")
    if not os.path.exists(jar):
        raise SystemExit("primary-kill: %s is missing; run ./mvnw -DskipTests package first" % jar)
    command = ["java", "-jar", jar, "bench", "--cluster", "4", "--keep-cluster"] + sys.argv[2:]
    bench = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    cluster_dir, urls, kill = None, None, None
    for line in bench.stdout:
        sys.stdout.write(line)
        sys.stdout.flush()
        started = re.search(r"started \d+ replicas in (\S+);", line)
        if started:
            cluster_dir = started.group(1)
            urls = replica_urls(cluster_dir)
        if line.startswith("signed ") and kill is None:
            time.sleep(kill_after)
            consensus = get(urls[0] + "/api/v1/consensus")
            primary, view = consensus["primary"], consensus["view"]
            if primary == 0:
                consensus = get(urls[1] + "/api/v1/consensus")
                primary, view = consensus["primary"], consensus["view"]
            start_height = consensus["height"]
            os.kill(replica_pid(cluster_dir, primary), signal.SIGKILL)
            kill = (time.time(), primary, view, start_height)
            print("primary-kill: SIGKILLed replica %d, primary of view %d, at height %d" % (primary, view, start_height))
    bench.wait()
    if kill is None:
        raise SystemExit("primary-kill: the bench ended before the kill")
    killed_at, primary, view, height = kill
    survivor = (primary + 1) % len(urls)
    chain = [(t, v, c) for t, c, v in stored_blocks(os.path.join(cluster_dir, "replica-%d.log" % survivor))]
    before = [c for t, v, c in chain if killed_at - PRE_KILL_S <= t < killed_at]
    pre_rate = sum(before) / PRE_KILL_S
    later_view = [t for t, v, c in chain if v > view and t >= killed_at]
    first_block = later_view[0] - killed_at if later_view else None
    full_rate = None
    for t, v, c in chain:
        if t < killed_at or v <= view:
            continue
        in_window = sum(c2 for t2, v2, c2 in chain if t <= t2 < t + WINDOW_S)
        if in_window >= FULL_RATE_SHARE * pre_rate * WINDOW_S:
            full_rate = t - killed_at
            break
    fmt = lambda s: "none" if s is None else "%.1f" % s
    print("kill_view=%d killed_replica=%d first_block_s=%s full_rate_s=%s pre_kill_tps=%.1f cluster=%s"
          % (view, primary, fmt(first_block), fmt(full_rate), pre_rate, cluster_dir))
    return bench.returncode


if __name__ == "__main__":
    sys.exit(main())
