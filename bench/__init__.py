"""Benchmarks of Goftar against PostgreSQL's own limits (see bench.harness and docs/benchmarks.md)."""
