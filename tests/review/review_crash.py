"""Run by the crash test as a separate process, which the test SIGKILLs mid-transaction.

    python review_crash.py DB MARKER decide|export OUTBOX

Makes a few committed changes, prints the review ids, then starts one more change that
pauses inside its transaction (the audit insert, or the outbox write, is wrapped from
here: the store has no test hook) until the test kills the process.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from assistant.review import ReviewStore
from assistant.review import outbox as outbox_module
from assistant.review import store as store_module
from assistant.types import Draft, Message

MESSAGE = Message(text="Որտե՞ղ է իմ պատվերը", channel="twitter", customer_name="Անի")
DRAFT = Draft(text="Բարև Անի, ձեր պատվերը ճանապարհին է։", language="hy", tone="friendly")


def decide(store: ReviewStore) -> tuple[list[int], int]:
    ids = [store.add_draft(MESSAGE, DRAFT).id for _ in range(4)]
    store.approve(ids[0], "alice")
    store.edit(ids[1], "bob", "Բարև Անի, պատվերը կհասնի վաղը։")
    store.reject(ids[2], "carol", "wrong FAQ")
    return ids, ids[3]


def main(db: str, marker: str, mode: str, outbox: str) -> None:
    with ReviewStore(db) as store:
        if mode == "decide":
            ids, last = decide(store)
        else:
            ids = [store.add_draft(MESSAGE, DRAFT).id for _ in range(3)]
            store.approve(ids[0], "alice")
            store.export(outbox, "exporter")
            store.approve(ids[1], "alice")
            store.edit(ids[2], "bob", "Բարև Անի, պատվերը կհասնի վաղը։")
        print(json.dumps(ids), flush=True)
        pause_inside_the_next_transaction(marker, mode)
        if mode == "decide":
            store.approve(last, "dave")
        else:
            store.export(outbox, "exporter")
    raise SystemExit("the pause did not stop the process")


def pause_inside_the_next_transaction(marker: str, mode: str) -> None:
    """Announce (by creating `marker`) that a transaction is open, then wait to be killed."""
    module, name = (store_module, "_log") if mode == "decide" else (outbox_module, "append")
    real = getattr(module, name)

    def pausing(*args: Any) -> Any:
        result = real(*args)
        Path(marker).write_text(str(os.getpid()), encoding="utf-8")
        time.sleep(120)
        return result

    setattr(module, name, pausing)


if __name__ == "__main__":
    main(*sys.argv[1:])
