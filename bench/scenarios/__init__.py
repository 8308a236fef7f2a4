"""One module per scenario group; each ``run(bench)`` adds its rows to ``bench.report``."""
