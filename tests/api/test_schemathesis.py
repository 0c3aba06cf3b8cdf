"""The API against its own OpenAPI schema, as a consumer reads it:
schemathesis generates requests from /api/schema/ (served by a live
server) and checks every response: no server error, and status, content
type, headers and body as the schema documents them."""

import pytest
import schemathesis
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.golden import LIST_DIR

# Examples per operation (10 operations): a few minutes for both databases.
EXAMPLES = 30
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


# schemathesis.pytest.from_fixture() reads an attribute pytest 9 removed
# (Function._nodeid): each operation is run with its own strategy instead.
def test_every_response_conforms_to_the_schema(api_schema):
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) == 10  # lists and details of five kinds

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def conforms(case):
            case.call_and_validate(checks=CHECKS)

        conforms()
