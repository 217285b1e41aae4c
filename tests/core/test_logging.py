import json
import logging

from django.test import RequestFactory

from jalon.core import request_context
from jalon.core.logging import JsonFormatter


def test_log_lines_are_json_with_the_request_id():
    request = RequestFactory().get("/", headers={"X-Request-ID": "abc123"})
    token = request_context.begin(request)
    try:
        record = logging.LogRecord(
            "jalon.test", logging.WARNING, __file__, 1, "Échec %s", ("x",), None
        )
        record.agent_id = 42
        line = json.loads(JsonFormatter().format(record))
    finally:
        request_context.end(token)
    assert line["message"] == "Échec x"
    assert (line["level"], line["logger"], line["request_id"], line["agent_id"]) == (
        "WARNING",
        "jalon.test",
        "abc123",
        42,
    )


def test_client_address_behind_trusted_proxies(settings):
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 5.6.7.8"
    )
    assert request_context.client_ip_from_request(request) == "10.0.0.1"
    settings.JALON_TRUSTED_PROXY_COUNT = 1
    assert request_context.client_ip_from_request(request) == "5.6.7.8"
