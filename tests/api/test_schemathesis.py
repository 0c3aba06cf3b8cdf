"""The API against its own OpenAPI schema, as a consumer reads it:
schemathesis generates requests from /api/schema/ (served by a live
server) and checks every response: no server error, and status, content
type, headers and body as the schema documents them."""

import pytest
import schemathesis
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.golden import LIST_DIR

# Examples per operation and mode (10 operations, 2 modes): about a minute
# a database.
EXAMPLES = 25
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture
def api_schema(live_server, transactional_db, settings):
    settings.API_THROTTLE_RATE = None  # hundreds of requests from one address
    call_command("import_lists", str(LIST_DIR), verbosity=0)
    return schemathesis.openapi.from_url(
        f"{live_server.url}/api/schema/",
        headers={"Accept": "application/vnd.oai.openapi+json"},
    )


def _parameters(operation) -> int:
    return len(operation.query) + len(operation.path_parameters)


# schemathesis.pytest.from_fixture() reads an attribute pytest 9 removed
# (Function._nodeid): each operation is run with its own strategy instead.
# Positive cases are valid by the schema; negative ones are not (a page that
# is no number, a year that is no year, a value no enum holds...).
@pytest.mark.parametrize("mode", list(GenerationMode), ids=str)
def test_every_response_conforms_to_the_schema(api_schema, mode):
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) == 10  # lists and details of five kinds

    unsatisfiable = []
    for operation in operations:
        if mode == GenerationMode.NEGATIVE and not _parameters(operation):
            continue  # nothing to make invalid

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def conforms(case):
            case.call_and_validate(checks=CHECKS)

        try:
            conforms()
        except Unsatisfiable:
            unsatisfiable.append(operation.label)

    if mode == GenerationMode.NEGATIVE:
        # A path's free text (a key, slug or venue): no string is invalid.
        assert sorted(unsatisfiable) == [
            "GET /api/papers/{key}/",
            "GET /api/repositories/{key}/",
            "GET /api/topics/{slug}/",
            "GET /api/venues/{venue}/",
        ]
    else:
        assert not unsatisfiable
