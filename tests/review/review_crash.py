"""Run by the crash test as a separate process, which the test SIGKILLs mid-transaction.

    python review_crash.py DB MARKER decide|export OUTBOX

Makes a few committed changes, prints the review ids, then sets the test-only pause hook
and starts one more change: the process stops inside its transaction until killed.
"""

from __future__ import annotations

import json
import os
import sys

from assistant.review import ReviewStore
from assistant.review.store import PAUSE_ENV
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
        os.environ[PAUSE_ENV] = marker
        if mode == "decide":
            store.approve(last, "dave")
        else:
            store.export(outbox, "exporter")
    raise SystemExit("the pause hook did not stop the process")


if __name__ == "__main__":
    main(*sys.argv[1:])
