"""The `app` fixture: an offline application over the bundled articles, its requests in `test_request`."""
import pytest

from .offline import OfflineRequest, offline_app


@pytest.fixture
async def app(engine):
    request = OfflineRequest()
    async with offline_app(engine, request) as application:
        application.test_request = request
        yield application
