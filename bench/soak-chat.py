#!/usr/bin/env python3
"""Soak test of the chat runtime: N short chat turns in ONE `tokenworks chat --headless` process.

The runtime is the one under the full-screen chat (sessions, ledger, KV-cache reuse between turns). After each
turn the script samples the process from /proc: resident memory, open file descriptors and threads. It fails
(exit 1) when, after the first WARMUP turns, resident memory grows by more than 5 %, descriptors or threads grow
at all, or the ledger's rows for the session differ from the number of turns.

Usage: bench/soak-chat.py [--turns 1000] [--binary .build/release/tokenworks] [--model PATH]
Run by `make soak`. Needs Linux (/proc). Everything it writes goes to a temporary XDG folder.
"""
import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
import time

PROMPTS = ["Say hi.", "Name a colour.", "One word: yes or no?", "Count to three.", "What is 2 + 2?",
           "Name a fruit.", "Say goodbye.", "Pick a number."]


def sample(pid):
    """(resident KiB, open descriptors, threads) of a live process."""
    rss = threads = 0
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1])
            elif line.startswith("Threads:"):
                threads = int(line.split()[1])
    fds = len(os.listdir(f"/proc/{pid}/fd"))
    return rss, fds, threads


def read_until(stream, marker, deadline):
    """Lines of `stream` up to and including the one starting with `marker`."""
    lines = []
    while True:
        if time.monotonic() > deadline:
            raise TimeoutError(f"no '{marker}' within the time limit; last lines: {lines[-5:]}")
        line = stream.readline()
        if not line:
            raise EOFError(f"tokenworks ended before '{marker}'; last lines: {lines[-5:]}")
        lines.append(line.rstrip("\n"))
        if line.startswith(marker):
            return lines


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--turns", type=int, default=1000)
    parser.add_argument("--warmup", type=int, default=50, help="turns before the baseline is taken")
    parser.add_argument("--clear-every", type=int, default=50,
                        help="send /clear every N turns so the conversation stays inside the context; keep it at "
                             "most --warmup, so the baseline is taken once a whole conversation has filled its "
                             "KV cache (at 100 the cache was still filling at turn 50: +25 %% until turn 100, "
                             "then flat)")
    parser.add_argument("--max-tokens", type=int, default=8)
    parser.add_argument("--binary", default=os.path.join(root, ".build/release/tokenworks"))
    # The run gets a scratch XDG_CACHE_HOME, so name the model the caller's environment would find (`make model`).
    default_model = os.environ.get("TOKENWORKS_MODEL") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"),
        "tokenworks/models/SmolLM2-135M-Instruct.Q4_1.gguf")
    parser.add_argument("--model", default=default_model)
    parser.add_argument("--turn-timeout", type=float, default=600,
                        help="seconds one turn may take (generous: a loaded machine can stall a turn for minutes)")
    args = parser.parse_args()

    home = tempfile.mkdtemp(prefix="tw-soak-")
    env = dict(os.environ, XDG_DATA_HOME=f"{home}/data", XDG_CONFIG_HOME=f"{home}/config",
               XDG_CACHE_HOME=f"{home}/cache", LANG="C.UTF-8", LC_ALL="C.UTF-8")
    command = [args.binary, "chat", "--headless", "--temperature", "0", "--max-tokens", str(args.max_tokens)]
    if args.model:
        command += ["--model", args.model]
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, bufsize=1, env=env, cwd=home)
    started = time.monotonic()
    samples, latencies, problems = [], [], []
    session = None
    try:
        header = read_until(process.stdout, "# session ", time.monotonic() + args.turn_timeout)
        session = header[-1].split()[2]
        clears = 0
        for turn in range(1, args.turns + 1):
            if args.clear_every and turn > 1 and (turn - 1) % args.clear_every == 0:
                process.stdin.write("/clear\n")
                process.stdin.flush()
                clears += 1
                read_until(process.stdout, f"# turn {turn - 1 + clears} done", time.monotonic() + args.turn_timeout)
            begin = time.monotonic()
            process.stdin.write(PROMPTS[turn % len(PROMPTS)] + "\n")
            process.stdin.flush()
            lines = read_until(process.stdout, f"# turn {turn - 1 + clears + 1} done",
                               time.monotonic() + args.turn_timeout)
            latencies.append(time.monotonic() - begin)
            errors = [l for l in lines if l.startswith("[error]")]
            if errors:
                problems.append(f"turn {turn}: {errors[0]}")
            samples.append(sample(process.pid))
            if turn % 100 == 0 or turn == args.warmup:
                rss, fds, threads = samples[-1]
                print(f"turn {turn:5d}: rss {rss / 1024:7.1f} MiB, fds {fds}, threads {threads}, "
                      f"{time.monotonic() - started:6.0f} s", flush=True)
        process.stdin.write("/quit\n")
        process.stdin.flush()
        process.wait(timeout=60)
    except (EOFError, TimeoutError) as error:
        # Say how the process ended (exit status or signal, its last error lines), not just that it did.
        if process.poll() is None:
            process.kill()
        process.wait()
        tail = process.stderr.read()[-2000:]
        print(f"FAILED: {error}\n  tokenworks exit status {process.returncode}; stderr: {tail!r}")
        return 1
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()

    database = os.path.join(home, "data/tokenworks/ledger.sqlite")
    with sqlite3.connect(database) as db:
        rows = db.execute("SELECT COUNT(*) FROM calls WHERE session_id = ?", (session,)).fetchone()[0]
        integrity = db.execute("PRAGMA integrity_check").fetchone()[0]

    warm = samples[args.warmup - 1] if len(samples) >= args.warmup else samples[0]
    later = samples[args.warmup:] or samples[-1:]
    peak_rss = max(s[0] for s in later)
    growth = (peak_rss - warm[0]) / warm[0] * 100
    end = samples[-1]
    print(f"\n{args.turns} turns in {time.monotonic() - started:.0f} s "
          f"(turn latency p50 {percentile(latencies, 50) * 1000:.0f} ms, p95 {percentile(latencies, 95) * 1000:.0f} ms)")
    print(f"resident memory: {warm[0] / 1024:.1f} MiB after turn {args.warmup}, peak {peak_rss / 1024:.1f} MiB "
          f"afterwards ({growth:+.2f} %), {end[0] / 1024:.1f} MiB at the end")
    print(f"file descriptors: {warm[1]} after turn {args.warmup}, {max(s[1] for s in later)} at most afterwards, "
          f"{end[1]} at the end")
    print(f"threads: {warm[2]} after turn {args.warmup}, {max(s[2] for s in later)} at most afterwards, "
          f"{end[2]} at the end")
    print(f"ledger: {rows} rows for session {session} ({args.turns} turns), integrity {integrity}")

    if growth > 5:
        problems.append(f"resident memory grew {growth:.2f} % (limit 5 %)")
    if max(s[1] for s in later) > warm[1]:
        problems.append("file descriptors grew")
    if max(s[2] for s in later) > warm[2]:
        problems.append("threads grew")
    if rows != args.turns:
        problems.append(f"ledger has {rows} rows for {args.turns} turns")
    if integrity != "ok":
        problems.append(f"ledger integrity: {integrity}")
    if problems:
        print("FAILED:\n  " + "\n  ".join(problems[:20]))
        return 1
    print("soak passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
