"""PhraseMatcher keeps its answers for the last few long texts: the same answers as a
fresh scan, never shared between texts, and safe to modify."""

from __future__ import annotations

from assistant.text import _KEEP_FROM, _KEPT, PhraseMatcher


def _long(text: str) -> str:
    return text + " filler" * (_KEEP_FROM // 7 + 1)


def test_a_kept_answer_is_the_answer_of_a_fresh_scan() -> None:
    matcher = PhraseMatcher(["refund", "broken", "late*"])
    texts = [_long(t) for t in ("my lamp is broken", "refund please, it is late", "hello")]
    fresh = [PhraseMatcher(matcher.phrases).found(t) for t in texts]
    for _ in range(2):  # the second round is answered from what was kept
        assert [matcher.found(t) for t in texts] == fresh
    assert fresh == [{"broken"}, {"refund", "late"}, set()]


def test_changing_an_answer_does_not_change_what_is_kept() -> None:
    matcher = PhraseMatcher(["broken"])
    text = _long("broken")
    matcher.found(text).add("refund")
    assert matcher.found(text) == {"broken"}


def test_only_the_last_few_long_texts_are_kept() -> None:
    matcher = PhraseMatcher(["broken"])
    for i in range(_KEPT * 3):
        matcher.found(_long(f"broken {i}"))
    matcher.found("broken, and short")
    assert len(matcher._kept) == _KEPT
    assert all(len(text) >= _KEEP_FROM for text in matcher._kept)
