"""Rebuild the embedding matrices shipped for the sample brand: `make index`.

    python -m assistant.understanding.prebuild      # writes assistant/data/index/


The FAQ index and the guidance snippets of the bundled guidelines are embedded once,
here, so that `pip install` then `assistant draft` embeds nothing. Each file is named
after the guidelines fingerprint: after any edit of the sample brand the shipped files
are simply not used (only the changed texts are embedded, see `index_store`) until this
script runs again; `tests/test_index_store.py` fails until it does. The language status
of every line the offline drafter writes from is worked out here too (`part-statuses.json`,
see `checks.part_statuses`): a cold English draft need not load lingua's Latin models.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from assistant.knowledge import KnowledgeBase, load_knowledge_base
from assistant.understanding.embeddings import Embedder, default_embedder
from assistant.understanding.index_store import prebuilt_dir


def build(kb: KnowledgeBase, embedder: Embedder, out: Path) -> list[Path]:
    """Write the matrices `Assistant.load` needs for `kb` into `out` (when they are
    current already, keep them); remove those of other fingerprints."""
    from assistant.understanding.guidance import GuidanceIndex
    from assistant.understanding.retrieval import Retriever

    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp)
        Retriever(kb, embedder, cache_dir=cache)
        GuidanceIndex(kb, embedder, cache)
        built = sorted(p for p in cache.iterdir() if kb.fingerprint in p.name)
        for old in out.glob("*.npz"):
            if kb.fingerprint not in old.name:
                old.unlink()
        written = []
        for path in built:
            target = out / path.with_suffix(".npz").name
            shutil.copyfile(path, target)
            written.append(target)
    # Nothing built: the shipped files were current and loaded as they are; keep them.
    return written or sorted(out.glob(f"*{kb.fingerprint}*.npz"))


def build_part_statuses(kb: KnowledgeBase, out: Path) -> Path:
    """Write the language status of every line of `kb` (`checks.part_statuses`)."""
    from assistant.checks.composed import worked_out
    from assistant.checks.part_statuses import FILE, write
    from assistant.checks.part_statuses import build as statuses

    path = out / FILE
    write(path, statuses(kb, lambda locale, line: worked_out(kb, locale, line)))
    return path


def main() -> int:
    kb = load_knowledge_base()
    written = build(kb, default_embedder(), prebuilt_dir())
    written.append(build_part_statuses(kb, prebuilt_dir()))
    for path in written:
        print(f"{path} ({path.stat().st_size / 1024:.0f} kB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
