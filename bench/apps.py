from django.apps import AppConfig


class BenchConfig(AppConfig):
    """The benchmark and its corpus generator: installed by the local, test and bench settings only."""

    name = "bench"
    verbose_name = "Benchmark"
