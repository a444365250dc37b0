#!/usr/bin/env python3
"""The interactive MFA prompt as a person meets it, timed from Enter to exit.

bench/cli-rows.ts pipes in JSON: {"argv": [...], "code": "123456", "think": 0.3, "runs": [env, env, ...]}.
For each run: start argv on a new pseudo-terminal (so awsmfa opens /dev/tty and asks), wait for
the prompt, wait `think` seconds (the person reading the code off their phone), type the code and
Enter, and time until the process has exited. Prints one JSON line: {"ms": [...]}.
A pty needs no extra package in Python; Node has none built in, hence this helper.
"""
import json
import os
import pty
import select
import sys
import time

spec = json.load(sys.stdin)
times = []
for env in spec["runs"]:
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(spec["argv"][0], spec["argv"], env)
    seen = b""
    deadline = time.monotonic() + 20
    while b"MFA code" not in seen:
        if time.monotonic() > deadline:
            sys.exit("no MFA prompt within 20 s: " + seen.decode(errors="replace")[-300:])
        ready, _, _ = select.select([fd], [], [], 1)
        if ready:
            seen += os.read(fd, 4096)
    time.sleep(spec.get("think", 0.3))
    start = time.perf_counter()
    os.write(fd, (spec["code"] + "\n").encode())
    try:
        while True:
            ready, _, _ = select.select([fd], [], [], 20)
            if not ready or not os.read(fd, 65536):
                break
    except OSError:  # EIO: the child closed the terminal
        pass
    _, status = os.waitpid(pid, 0)
    end = time.perf_counter()
    os.close(fd)
    if status != 0:
        sys.exit(f"exit status {status}: " + seen.decode(errors="replace")[-300:])
    times.append((end - start) * 1000)
print(json.dumps({"ms": times}))
