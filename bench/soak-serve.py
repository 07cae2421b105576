#!/usr/bin/env python3
"""Soak test of `tokenworks serve`: 16 concurrent streaming clients on loopback for a few minutes.

Starts `tokenworks serve --port 0` on 127.0.0.1 with a small queue, then runs CLIENTS threads that each send
streaming chat requests one after another until DURATION seconds pass (or MAX_REQUESTS in total). Every request
must either complete (HTTP 200, a stream ending in `data: [DONE]`) or be refused with 429/503 when the queue is
full; anything else (another status, a broken stream, a crashed server) fails the run (exit 1). Prints p50/p95
request latency, time to first token and the tokens per second the server delivered.

Usage: bench/soak-serve.py [--clients 16] [--duration 180] [--binary .build/release/tokenworks] [--model PATH]
Run by `make soak-serve`. Only loopback addresses are used; the loops are bounded in count and time.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

PROMPTS = ["Say hi.", "Name a colour.", "Count to five.", "What is 2 + 2?", "Name a fruit.", "Say goodbye."]


def percentile(values, p):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--duration", type=float, default=180)
    parser.add_argument("--max-requests", type=int, default=20000)
    parser.add_argument("--max-tokens", type=int, default=24)
    parser.add_argument("--parallel", type=int, default=8, help="sequences the server decodes together")
    parser.add_argument("--max-waiting", type=int, default=4, help="queue beyond those; more get 429")
    parser.add_argument("--binary", default=os.path.join(root, ".build/release/tokenworks"))
    # The run gets a scratch XDG_CACHE_HOME, so name the model the caller's environment would find (`make model`).
    default_model = os.environ.get("TOKENWORKS_MODEL") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"),
        "tokenworks/models/SmolLM2-135M-Instruct.Q4_1.gguf")
    parser.add_argument("--model", default=default_model)
    args = parser.parse_args()

    home = tempfile.mkdtemp(prefix="tw-soak-serve-")
    env = dict(os.environ, XDG_DATA_HOME=f"{home}/data", XDG_CONFIG_HOME=f"{home}/config",
               XDG_CACHE_HOME=f"{home}/cache", TW_SOAK_KEY="sk-soak")
    command = [args.binary, "serve", "--host", "127.0.0.1", "--port", "0", "--api-key-env", "TW_SOAK_KEY",
               "--parallel", str(args.parallel), "--max-waiting", str(args.max_waiting), "--max-tokens", "256"]
    if args.model:
        command += ["--model", args.model]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env, cwd=home)
    line = server.stdout.readline()
    match = re.search(r"http://127\.0\.0\.1:\d+/v1", line)
    if not match:
        server.kill()
        print(f"serve did not start: {line!r}")
        return 1
    base = match.group(0)

    lock = threading.Lock()
    results = {"ok": 0, "refused": 0, "bad": []}
    latencies, first_tokens = [], []
    tokens_total = [0]
    issued = [0]
    deadline = time.monotonic() + args.duration

    def client(index):
        n = 0
        while time.monotonic() < deadline:
            with lock:
                if issued[0] >= args.max_requests:
                    return
                issued[0] += 1
            body = json.dumps({"model": "m", "stream": True, "max_tokens": args.max_tokens, "temperature": 0,
                               "messages": [{"role": "user", "content": PROMPTS[(index + n) % len(PROMPTS)]}]})
            n += 1
            request = urllib.request.Request(base + "/chat/completions", data=body.encode(), method="POST",
                                             headers={"Authorization": "Bearer sk-soak",
                                                      "Content-Type": "application/json"})
            start = time.monotonic()
            first = None
            chunks = 0
            done = False
            try:
                with urllib.request.urlopen(request, timeout=120) as response:
                    for raw in response:
                        text = raw.decode("utf-8", "replace").strip()
                        if not text.startswith("data:"):
                            continue
                        payload = text[5:].strip()
                        if payload == "[DONE]":
                            done = True
                            break
                        event = json.loads(payload)
                        if "error" in event:
                            raise ValueError(f"error event: {payload[:200]}")
                        delta = event["choices"][0].get("delta", {}) if event.get("choices") else {}
                        if delta.get("content"):
                            chunks += 1
                            if first is None:
                                first = time.monotonic() - start
                took = time.monotonic() - start
                with lock:
                    if done:
                        results["ok"] += 1
                        latencies.append(took)
                        tokens_total[0] += chunks
                        if first is not None:
                            first_tokens.append(first)
                    else:
                        results["bad"].append("stream ended without [DONE]")
            except urllib.error.HTTPError as error:
                with lock:
                    if error.code in (429, 503):
                        results["refused"] += 1
                    else:
                        results["bad"].append(f"HTTP {error.code}: {error.read()[:200]!r}")
                if error.code in (429, 503):
                    time.sleep(0.05)
            except Exception as error:  # a broken connection or stream is a failure
                with lock:
                    results["bad"].append(f"{type(error).__name__}: {error}")

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(args.clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(args.duration + 180)
    elapsed = time.monotonic() - started
    alive = server.poll() is None
    try:
        with urllib.request.urlopen(urllib.request.Request(base + "/models", headers={
                "Authorization": "Bearer sk-soak"}), timeout=30) as response:
            healthy = response.status == 200
    except Exception:
        healthy = False
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()

    print(f"{args.clients} streaming clients for {elapsed:.0f} s against {base}")
    print(f"requests: {results['ok']} completed, {results['refused']} refused (429/503), "
          f"{len(results['bad'])} failed")
    print(f"latency p50 {percentile(latencies, 50) * 1000:.0f} ms, p95 {percentile(latencies, 95) * 1000:.0f} ms; "
          f"time to first token p50 {percentile(first_tokens, 50) * 1000:.0f} ms, "
          f"p95 {percentile(first_tokens, 95) * 1000:.0f} ms")
    print(f"tokens streamed: {tokens_total[0]} ({tokens_total[0] / elapsed:.1f} tokens/s overall)")
    problems = results["bad"][:10]
    if not alive:
        problems.append("the server process died")
    if not healthy:
        problems.append("the server did not answer /v1/models afterwards")
    if results["ok"] == 0:
        problems.append("no request completed")
    if problems:
        print("FAILED:\n  " + "\n  ".join(problems))
        return 1
    print("soak passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
