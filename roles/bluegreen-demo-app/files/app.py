#!/usr/bin/env python3
"""A minimal web app for blue-green demos and tests (stands in for the article's Rails app).

GET /        200 "release R on HOST" (500 when the release is broken or the FAIL marker file exists)
GET /health  the load balancer's health check (500 when broken, or once health_fails_after
             seconds have passed since the first request: a release that degrades)
GET /jobs    {"running": [...]}: the long-running jobs of this instance (bin/job)
"""
import json
import os
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
with open(os.path.join(ROOT, "current", "release.json")) as f:
    CONFIG = json.load(f)
FAIL_MARKER = os.path.join(ROOT, "FAIL")
JOBS = os.path.join(ROOT, "jobs")
first_request = None


def running_jobs():
    jobs = []
    for name in sorted(os.listdir(JOBS)) if os.path.isdir(JOBS) else []:
        if not name.endswith(".pid"):
            continue
        try:
            with open(os.path.join(JOBS, name)) as f:
                pid = int(f.read().strip())
            os.kill(pid, 0)
        except (OSError, ValueError):
            continue
        started = os.path.getmtime(os.path.join(JOBS, name))
        jobs.append({"name": name[:-4], "pid": pid, "running_seconds": int(time.time() - started)})
    return jobs


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def answer(self, status, body, content_type="text/plain"):
        data = body.encode()
        self.send_response(status)
        self.send_header("content-type", content_type)
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        global first_request
        broken = CONFIG.get("broken", False)
        if self.path.startswith("/health"):
            # The fail marker leaves the health check passing: users get errors that only
            # the load balancer's 5xx count shows (what a switch's error-rate check is for).
            after = CONFIG.get("health_fails_after")
            degraded = after is not None and first_request is not None and time.time() - first_request > float(after)
            if broken or degraded:
                return self.answer(500, "unhealthy\n")
            return self.answer(200, "ok\n")
        if self.path.startswith("/jobs"):
            return self.answer(200, json.dumps({"running": running_jobs()}), "application/json")
        if first_request is None:
            first_request = time.time()
        if broken or os.path.exists(FAIL_MARKER):
            return self.answer(500, "release %s is broken\n" % CONFIG["release"])
        return self.answer(200, "release %s on %s\n" % (CONFIG["release"], CONFIG["host"]))

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    server = ThreadingHTTPServer((sys.argv[1], int(sys.argv[2])), Handler)
    server.daemon_threads = True
    server.serve_forever()
