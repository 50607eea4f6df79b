"""bench/http_pages.py reads each request's server time from the app's own request log, and
times every page the query-count tests pin."""

import json
import logging
import shutil
import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.urls import Resolver404, resolve

from bench.household import page_urls
from bench.http_pages import label_of, measure_wrk, server_times, wrk_report

pytestmark = pytest.mark.one_database


@pytest.mark.django_db
def test_server_times_are_the_request_logs_durations_after_a_point(tmp_path, client, caplog):
    """The lines are the middleware's own (kimonokittens.middleware), read from where the case
    began: what earlier cases logged is not counted."""
    log = tmp_path / "requests.log"
    with caplog.at_level(logging.INFO, logger="kimonokittens.requests"):
        client.get("/healthz")
        client.get("/healthz")
    lines = [
        f"INFO kimonokittens.requests [id] {record.getMessage()}"
        for record in caplog.records
        if record.name == "kimonokittens.requests"
    ]
    first, second = (json.loads(line.split("] ", 1)[1])["duration_ms"] for line in lines)
    log.write_text(lines[0] + "\nWARNING other.logger [-] not a request\n")
    since = log.stat().st_size
    with log.open("a") as more:
        more.write(lines[1] + "\n")
    assert server_times(log, 0) == [first, second]
    assert server_times(log, since) == [second]


def test_every_page_the_benchmark_times_is_a_page_the_project_serves():
    for path in page_urls(7, date(2026, 12, 1)):
        try:
            resolve(path.split("?")[0])
        except Resolver404:  # the failure names the page
            pytest.fail(f"{path} is no page")
    assert label_of("/admin/rent/tenant/7/change/", "7") == "admin tenant/<id>/change/"
    assert label_of("/hyra/7/csv/", "7") == "/hyra/<id>/csv/"


def test_wrks_report_is_the_json_line_after_its_own_summary():
    output = (
        "Running 2s test @ http://127.0.0.1:18000/healthz\n"
        "  2 threads and 4 connections\n"
        "Requests/sec:   1612.40\n"
        '{"requests": 3226, "seconds": 2.000700, "p50_us": 1900, "p95_us": 4100, '
        '"failed": 0, "not_2xx_3xx": 0}\n'
    )
    assert wrk_report(output) == {
        "requests": 3226,
        "seconds": 2.0007,
        "p50_us": 1900,
        "p95_us": 4100,
        "failed": 0,
        "not_2xx_3xx": 0,
    }
    with pytest.raises(ValueError, match="no report"):
        wrk_report("Running 2s test\n")


@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk (Debian's package) is not installed")
def test_wrk_with_its_report_script_counts_what_a_server_answered():
    """bench/wrk_report.lua against a real server: every answer counted, the 404s apart."""

    class Answers(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            status = 200 if self.path == "/ok" else 404
            self.send_response(status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Answers)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        port = server.server_address[1]
        rate, p50, p95, statuses = measure_wrk(port, "/ok", {"X-Case": "ok"}, 1, 2)
        assert rate > 0 and 0 < p50 <= p95
        assert list(statuses) == [200] and statuses[200] > 0
        _, _, _, statuses = measure_wrk(port, "/missing", {}, 1, 2)
        assert list(statuses) == [404] and statuses[404] > 0
    finally:
        server.shutdown()
