"""bench/lookalikes.py on a tiny registry, so that the benchmark cannot rot unseen
(its figures are in bench/README.md; the full run is not part of the suite)."""

import importlib.util
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench" / "lookalikes.py"


def test_the_benchmark_runs_on_a_tiny_registry(capsys):
    spec = importlib.util.spec_from_file_location("bench_lookalikes", BENCH)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)

    status = bench.main(["--officials", "60", "--candidates", "400", "--lookalikes", "0.2"])

    out = capsys.readouterr().out
    assert status == 0
    assert "60 officials, 400 candidates" in out
    assert "Recall: " in out
    assert "Precision: " in out
