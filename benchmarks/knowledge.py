"""Loading the whole sample brand (15 languages): target <= 300 ms."""

from __future__ import annotations

from benchmarks._util import summary, timed_ms


def run() -> dict[str, object]:
    from assistant.knowledge import load_knowledge_base

    load_knowledge_base()  # warm the import and the OS file cache
    result = summary(timed_ms(load_knowledge_base, 10))
    print(
        f"load_knowledge_base (sample brand): median {result['median']:.1f} ms, "
        f"p95 {result['p95']:.1f} ms over {result['n']} loads (target <= 300 ms)"
    )
    return {"load_ms": result, "target_ms": 300}
