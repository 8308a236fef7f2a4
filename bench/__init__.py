"""The benchmark and its corpus generator: an app installed by the local, test and benchmark
settings, never in production (docs/benchmarks.md)."""
