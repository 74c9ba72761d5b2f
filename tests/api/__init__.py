"""Tests of the API client (rai_charts.api), against the local API server."""
