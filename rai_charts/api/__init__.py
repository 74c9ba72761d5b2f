"""The Returning.AI API client: ``Client`` and ``AsyncClient`` over httpx.

``client.analyses`` creates, reads, updates, deletes, lists and appends to chart analyses;
``client.analyses.sync_session(...)`` keeps a local analysis published with the fewest requests.
Every call is a row of :data:`ROUTES`.
"""

from .._exceptions import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RaiChartsError,
    RateLimitError,
    UnprocessableEntityError,
)
from ._client import AsyncClient, Client
from ._pagination import AsyncPage, AsyncPaginator, PageInfo, SyncPage
from ._response import APIResponse
from ._routes import ROUTES, Route
from ._sync import AnalysisSync, AsyncAnalysisSync, SyncPlan, SyncResult, plan_sync

__all__ = [
    "ROUTES",
    "APIConnectionError",
    "APIError",
    "APIResponse",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AnalysisSync",
    "AsyncAnalysisSync",
    "AsyncClient",
    "AsyncPage",
    "AsyncPaginator",
    "AuthenticationError",
    "BadRequestError",
    "Client",
    "ConflictError",
    "InternalServerError",
    "NotFoundError",
    "PageInfo",
    "PermissionDeniedError",
    "RaiChartsError",
    "RateLimitError",
    "Route",
    "SyncPage",
    "SyncPlan",
    "SyncResult",
    "UnprocessableEntityError",
    "plan_sync",
]
