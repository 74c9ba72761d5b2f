"""Tests of the resource groups of the API client."""
