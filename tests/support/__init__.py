"""Helpers shared by the test packages: throwaway databases, API keys, live servers."""
