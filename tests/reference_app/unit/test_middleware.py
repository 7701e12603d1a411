"""Request ids: a well-formed client id is kept, anything else replaced."""

import pytest

from reference_app.core.middleware import request_id_from_headers


@pytest.mark.parametrize("given", ["abc-123", "0f3c9a7e.trace:1", "A" * 128])
def test_well_formed_ids_are_kept(given: str) -> None:
    assert request_id_from_headers([(b"x-request-id", given.encode())]) == given


@pytest.mark.parametrize("given", ["", "has space", "A" * 129, "new\nline", "é"])
def test_other_ids_are_replaced(given: str) -> None:
    created = request_id_from_headers([(b"x-request-id", given.encode())])
    assert created != given
    assert len(created) == 32


def test_missing_id_is_created() -> None:
    assert len(request_id_from_headers([])) == 32
