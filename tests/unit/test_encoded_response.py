"""A kept answer's bytes go out as they are, with the headers any Response would carry."""

from __future__ import annotations

from app.api.encoded_answers import EncodedResponse


def test_encoded_bytes_go_out_unchanged_with_layer_and_own_headers() -> None:
    body = b'{"services":[]}'
    response = EncodedResponse(body)
    response.headers["x-own"] = "mine"
    sent = response.to_asgi_response(None, None, headers={"x-layer": "route", "x-own": "layer"})
    headers = dict(sent.encode_headers())
    assert sent.body is body
    assert sent.status_code == 200
    assert headers[b"content-type"] == b"application/json"
    assert headers[b"content-length"] == str(len(body)).encode()
    assert headers[b"x-layer"] == b"route"
    assert headers[b"x-own"] == b"mine"  # the response's own header wins, as in Litestar


def test_without_layer_headers_only_its_own_go_out() -> None:
    sent = EncodedResponse(b"[]").to_asgi_response(None, None)
    assert {name for name, _ in sent.encode_headers()} == {b"content-type", b"content-length"}
