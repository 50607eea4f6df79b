"""bench/http_pages.py reads each request's server time from the app's own request log, and
times every page the query-count tests pin."""

import json
import logging
from datetime import date

import pytest
from django.urls import Resolver404, resolve

from bench.household import page_urls
from bench.http_pages import label_of, percentile_95, server_times

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


def test_the_95th_percentile_is_the_value_below_which_95_of_100_fall():
    assert percentile_95([float(n) for n in range(100, 0, -1)]) == 95.0
    assert percentile_95([]) == 0.0


def test_every_page_the_benchmark_times_is_a_page_the_project_serves():
    for path in page_urls(7, date(2026, 12, 1)):
        try:
            resolve(path.split("?")[0])
        except Resolver404:  # the failure names the page
            pytest.fail(f"{path} is no page")
    assert label_of("/admin/rent/tenant/7/change/", "7") == "admin tenant/<id>/change/"
    assert label_of("/hyra/7/csv/", "7") == "/hyra/<id>/csv/"
