"""The OpenAPI document and its documentation page, served offline."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.staticfiles import finders

from tests.api.conftest import assert_problem


def _document(client) -> dict[str, Any]:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [ref for value in node.values() for ref in _refs(value)]
    if isinstance(node, list):
        return [ref for value in node for ref in _refs(value)]
    return []


def _resolve(document: dict[str, Any], ref: str) -> Any:
    assert ref.startswith("#/"), ref
    node: Any = document
    for part in ref[2:].split("/"):
        node = node[part]
    return node


def _operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, operation)
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
    ]


def test_the_document_is_openapi_3_1_generated_from_the_code(client, db):
    document = _document(client)
    assert document["openapi"].startswith("3.1")
    assert document["info"]["title"] == "API Jalon"
    assert "/api/v1/persons" in document["paths"]
    assert "/api/v1/referentials/offences" in document["paths"]
    for ref in _refs(document):
        _resolve(document, ref)  # every reference points somewhere


def test_every_operation_declares_its_error_statuses_as_problems(client, db):
    document = _document(client)
    for method, path, operation in _operations(document):
        responses = operation["responses"]
        assert {"401", "403"} <= set(responses), (method, path)
        if "{" in path:
            assert "404" in responses, (method, path)
        if method in {"post", "patch"} or operation.get("parameters"):
            assert "422" in responses, (method, path)
        for status, response in responses.items():
            if int(status) >= 400:
                assert list(response["content"]) == ["application/problem+json"], (path, status)
        assert operation["security"], (method, path)


def test_the_person_writes_declare_the_duplicate_conflict(client, db):
    paths = _document(client)["paths"]
    assert "409" in paths["/api/v1/persons"]["post"]["responses"]
    assert "409" in paths["/api/v1/persons/{person_id}/contact"]["patch"]["responses"]


def test_every_post_requires_an_idempotency_key(client, db):
    document = _document(client)
    posts = [op for method, _, op in _operations(document) if method == "post"]
    assert posts
    for operation in posts:
        headers = {p["name"]: p for p in operation["parameters"] if p["in"] == "header"}
        assert headers["Idempotency-Key"]["required"] is True


def test_the_bearer_scheme_is_declared(client, db):
    schemes = _document(client)["components"]["securitySchemes"]
    assert any(scheme.get("scheme") == "bearer" for scheme in schemes.values())


def test_the_docs_page_loads_its_assets_from_our_static_files(client, db):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any(asset.endswith("swagger-ui-bundle.js") for asset in assets)
    for asset in assets:
        assert asset.startswith("/static/"), asset
        assert finders.find(asset.removeprefix("/static/")), asset  # the file is there
    assert "http://" not in html and "https://" not in html
    assert "cdn" not in html.lower()


def test_the_docs_page_has_no_inline_script_and_keeps_the_csp(client, db):
    response = client.get("/api/v1/docs")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in policy
    html = response.content.decode()
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert '"validatorUrl": null' in html  # no call to the online validator


def test_an_unknown_api_path_is_not_an_html_page(api, partner):
    response = api.get("/nowhere", partner.key)
    assert response.status_code == 404


def test_a_validation_error_is_a_french_problem_naming_the_field(api, partner):
    response = api.get("/referentials/jurisdictions", partner.key, limit=1000)
    body = assert_problem(response, 422, "invalid_request")
    assert body["errors"] == [
        {"field": "limit", "message": "La valeur doit être au plus 100.", "location": "query"}
    ]


def test_a_body_that_is_not_json_is_a_422_problem(api, partner):
    response = api.post("/persons", partner.key, "{not json")
    assert_problem(response, 422, "invalid_json")


def test_a_missing_body_field_is_named(api, partner):
    response = api.post("/persons", partner.key, {"first_names": "Jean"})
    body = assert_problem(response, 422, "invalid_request")
    fields = {error["field"]: error["message"] for error in body["errors"]}
    assert fields["last_name"] == "Ce champ est obligatoire."
    assert fields["birth_date"] == "Ce champ est obligatoire."


def test_a_nul_character_in_the_query_is_a_422_problem(api, partner):
    response = api.get("/persons", partner.key, q="Dup\x00ont")
    assert_problem(response, 422, "invalid_characters")
