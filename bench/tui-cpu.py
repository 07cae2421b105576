#!/usr/bin/env python3
"""How much CPU the chat TUI takes while a long reply streams, and whether it slows generation (issue #6).

Runs the real binary with the real default model in a private tmux server (never the user's), sends one long
prompt and samples, while the reply streams:
  - the CPU time of the interface thread ("tokenworks.ui") and of every other thread (generation), from
    /proc/PID/task/*/stat (Linux; clock ticks, 10 ms),
  - the bytes the program writes to the terminal, through `tmux pipe-pane -O`,
then quits and reads the program's own report (TOKENWORKS_CPU_REPORT: exact thread CPU time, frames, cells sent,
seconds spent in view + diff + draw). For "without slowing it", the same prompt runs headless first
(`tokenworks ask --json`, no chat at all) and through the chat runtime without a UI (`chat --headless`), and
their tokens/s are compared with the TUI chat call's (ledger).

Usage: python3 bench/tui-cpu.py [--tokens 1000] [--width 120] [--height 40] [--spec none] [--binary PATH] [--model PATH]
Run it alone on the machine (here: /work/wt/quiet.sh python3 bench/tui-cpu.py); it takes under a minute.
"""
import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROMPT = "Write a long story about a dragon who learns to fly, with many chapters."
TICK = os.sysconf("SC_CLK_TCK")


def parse_arguments():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--tokens", type=int, default=1000, help="max tokens of the reply (greedy)")
    p.add_argument("--width", type=int, default=120)
    p.add_argument("--height", type=int, default=40)
    p.add_argument("--binary", default=os.path.join(ROOT, ".build/release/tokenworks"))
    p.add_argument("--model", default=os.environ.get("TOKENWORKS_MODEL") or os.path.expanduser(
        "~/.cache/tokenworks/models/SmolLM2-135M-Instruct.Q4_1.gguf"))
    p.add_argument("--spec", default="none", help="speculation for both runs (ask defaults to lookup, chat to none)")
    p.add_argument("--timeout", type=float, default=150, help="seconds for the whole run")
    return p.parse_args()


class Tmux:
    """A private tmux server (own socket, no config), killed at the end."""

    def __init__(self, width, height, env):
        self.socket = "tw-bench-%d" % os.getpid()
        args = ["-f", "/dev/null", "new-session", "-d", "-s", "tw", "-x", str(width), "-y", str(height), "-c", ROOT]
        for k, v in sorted(env.items()):
            args += ["-e", "%s=%s" % (k, v)]
        self.run(args + ["bash --noprofile --norc"])

    def run(self, args):
        r = subprocess.run(["tmux", "-L", self.socket] + args, capture_output=True, text=True, timeout=20)
        if r.returncode != 0:
            raise SystemExit("tmux %s failed: %s" % (" ".join(args), r.stderr.strip()))
        return r.stdout

    def capture(self):
        return self.run(["capture-pane", "-p", "-t", "tw"]).split("\n")

    def send(self, *keys, literal=False):
        self.run(["send-keys", "-t", "tw"] + (["-l"] if literal else []) + list(keys))

    def pane_pid(self):
        return int(self.run(["display-message", "-p", "-t", "tw", "#{pane_pid}"]).strip())

    def kill(self):
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True, timeout=20)


def wait_for(tmux, what, deadline, condition):
    while True:
        screen = tmux.capture()
        if condition(screen):
            return screen
        if time.monotonic() > deadline:
            raise SystemExit("%s; the screen was:\n%s" % (what, "\n".join(screen)))
        time.sleep(0.02)


def status_line(screen):
    lines = [l for l in screen if "◆" in l]
    return lines[-1] if lines else ""


def thread_cpu(pid):
    """CPU seconds by thread name: the UI thread and everything else."""
    ui = other = 0.0
    for tid in os.listdir("/proc/%d/task" % pid):
        try:
            with open("/proc/%d/task/%s/stat" % (pid, tid)) as f:
                stat = f.read()
        except OSError:
            continue
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2:].split()
        seconds = (int(fields[11]) + int(fields[12])) / TICK  # utime, stime
        if name == "tokenworks.ui":
            ui += seconds
        else:
            other += seconds
    return ui, other


def model_calls(ledger):
    db = sqlite3.connect(ledger)
    try:
        return db.execute("SELECT generated_tokens, tokens_per_second, details FROM calls "
                          "WHERE kind = 'model' ORDER BY started_ms").fetchall()
    finally:
        db.close()


def main():
    a = parse_arguments()
    for path, what in [(a.binary, "binary (swift build -c release)"), (a.model, "model (make model)")]:
        if not os.path.exists(path):
            raise SystemExit("no %s at %s" % (what, path))
    if not shutil.which("tmux"):
        raise SystemExit("tmux is not installed (apt-get install tmux)")
    deadline = time.monotonic() + a.timeout
    home = tempfile.mkdtemp(prefix="tw-tui-cpu-")
    env = {
        "XDG_DATA_HOME": home + "/data", "XDG_CONFIG_HOME": home + "/config", "XDG_CACHE_HOME": home + "/cache",
        "TOKENWORKS_MODEL": a.model, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "HISTFILE": "/dev/null",
        "TOKENWORKS_PRICES": os.path.join(ROOT, "pricing/prices.yaml"), "TERM": "tmux-256color",
    }
    flags = ["--temperature", "0", "--max-tokens", str(a.tokens), "--spec", a.spec]
    report_path = home + "/cpu.json"
    output_path = home + "/terminal-output"
    tmux = None
    try:
        # Headless first: the speed of generation with no interface at all.
        ask = subprocess.run([a.binary, "ask", "--json"] + flags + [PROMPT], env=dict(os.environ, **env), cwd=ROOT,
                             capture_output=True, timeout=max(1, deadline - time.monotonic()), check=True)
        headless = json.loads(ask.stdout)
        # The chat's own runtime with no interface (`chat --headless`): what the TUI run adds to it is the UI.
        subprocess.run([a.binary, "chat", "--headless"] + flags, input=PROMPT + "\n/quit\n", text=True,
                       env=dict(os.environ, **env), cwd=ROOT, capture_output=True,
                       timeout=max(1, deadline - time.monotonic()), check=True)

        tmux = Tmux(a.width, a.height, env)
        wait_for(tmux, "no shell prompt", deadline, lambda s: any(l.strip() for l in s))
        command = "TOKENWORKS_CPU_REPORT='%s' exec '%s' chat %s" % (report_path, a.binary, " ".join(flags))
        tmux.send(command, literal=True)
        tmux.send("Enter")
        wait_for(tmux, "the workbench did not appear", deadline,
                 lambda s: any(" Transcript " in l for l in s) and "◆" in status_line(s))
        pid = tmux.pane_pid()  # `exec`: the shell became the chat
        tmux.run(["pipe-pane", "-O", "-t", "tw", "cat > '%s'" % output_path])
        time.sleep(0.3)  # let pipe-pane's cat start before anything is written
        tmux.send(PROMPT, literal=True)
        tmux.send("Enter")
        wait_for(tmux, "the reply did not start", deadline, lambda s: "generating" in status_line(s))
        ui0, other0 = thread_cpu(pid)
        bytes0 = os.path.getsize(output_path) if os.path.exists(output_path) else 0
        t0 = time.monotonic()
        wait_for(tmux, "the reply did not finish", deadline, lambda s: "generating" not in status_line(s))
        t1 = time.monotonic()
        ui1, other1 = thread_cpu(pid)
        bytes1 = os.path.getsize(output_path)
        tmux.send("C-q")
        while not os.path.exists(report_path) or os.path.getsize(report_path) == 0:
            if time.monotonic() > deadline:
                raise SystemExit("the chat wrote no CPU report")
            time.sleep(0.05)
        time.sleep(0.1)
        with open(report_path) as f:
            report = json.load(f)
        calls = model_calls(home + "/data/tokenworks/ledger.sqlite")
    finally:
        if tmux:
            tmux.kill()
        shutil.rmtree(home, ignore_errors=True)

    if len(calls) != 2:
        raise SystemExit("expected two model calls in the ledger (headless chat, TUI chat), found %d" % len(calls))
    (runtime_tokens, runtime_speed, runtime_details), (chat_tokens, chat_speed, details) = calls
    chat_itl = json.loads(details or "{}").get("itl_p50_ms", 0)
    runtime_itl = json.loads(runtime_details or "{}").get("itl_p50_ms", 0)
    ask_tokens, ask_speed = headless["usage"]["completion_tokens"], headless["timings"]["tokens_per_second"]
    ask_itl = headless["timings"]["inter_token_latency_p50_ms"]
    stream = t1 - t0
    incremental = report["frames"] - report["full_frames"]
    incremental_cells = report["cells_drawn"] - report["full_frames"] * report["screen_cells"]
    print("TUI CPU while streaming (%dx%d terminal, %d tokens greedy, speculation %s, default model)"
          % (a.width, a.height, chat_tokens, a.spec))
    print("  streaming window        %.2f s (as seen on screen)" % stream)
    print("  UI thread CPU           %.3f s = %.1f%% of one core   (/proc, 10 ms ticks)"
          % (ui1 - ui0, 100 * (ui1 - ui0) / stream))
    print("  other threads CPU       %.3f s = %.1f%% of one core   (generation)" % (other1 - other0, 100 * (other1 - other0) / stream))
    print("  terminal output         %d bytes = %.1f KB/s" % (bytes1 - bytes0, (bytes1 - bytes0) / stream / 1024))
    print("whole session (the program's own report, TOKENWORKS_CPU_REPORT)")
    print("  wall %.2f s, UI thread %.3f s (%.1f%%), process %.3f s"
          % (report["wall_seconds"], report["ui_thread_cpu_seconds"],
             100 * report["ui_thread_cpu_seconds"] / report["wall_seconds"], report["process_cpu_seconds"]))
    print("  frames %d (%d full), %.1f frames/s; render (view+diff+draw) %.3f s, %.2f ms/frame, longest %.2f ms"
          % (report["frames"], report["full_frames"], report["frames"] / report["wall_seconds"],
             report["render_seconds"], 1000 * report["render_seconds"] / max(1, report["frames"]),
             1000 * report["max_frame_seconds"]))
    print("  cells sent %d; per incremental frame %.0f on average, %d at most, of %d on screen"
          % (report["cells_drawn"], incremental_cells / max(1, incremental), report["max_incremental_cells"],
             report["screen_cells"]))
    print("generation speed")
    print("  headless ask   %d tokens at %.2f tok/s, inter-token p50 %.2f ms   (ask --json)"
          % (ask_tokens, ask_speed or 0, ask_itl))
    print("  chat headless  %d tokens at %.2f tok/s, inter-token p50 %.2f ms   (ledger; the runtime, no UI)"
          % (runtime_tokens, runtime_speed or 0, runtime_itl))
    print("  chat TUI       %d tokens at %.2f tok/s, inter-token p50 %.2f ms   (ledger)"
          % (chat_tokens, chat_speed or 0, chat_itl))
    print("  the UI's effect on speed: %+.1f%% (TUI vs headless chat); the chat runtime's: %+.1f%% (headless vs ask)"
          % (100 * ((chat_speed or 0) / (runtime_speed or 1) - 1), 100 * ((runtime_speed or 0) / (ask_speed or 1) - 1)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
