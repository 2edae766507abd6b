"""Which language and script a message is in, for short noisy social text.

`noise` strips handles, links and emoji; `scripts` decides what a writing system settles
alone; `detect` runs the models on shared scripts; `evaluate` scores detectors on
labelled data for notebooks (imported on first use: it needs pandas).
"""

from __future__ import annotations

import importlib
from typing import Any

from assistant.language.detect import detect_language

#: Analyst helpers of `assistant.language.evaluate`, exported lazily.
EVALUATION = (
    "VARIANTS",
    "accuracy_by_language",
    "assistant_detector",
    "confusion_matrix",
    "labelled_messages",
    "labelled_questions",
    "langdetect_detector",
    "plot_confusion",
    "predict",
    "with_variants",
)
__all__ = ["detect_language", *EVALUATION]


def __getattr__(name: str) -> Any:
    if name not in EVALUATION:
        raise AttributeError(f"module 'assistant.language' has no attribute {name!r}")
    return getattr(importlib.import_module("assistant.language.evaluate"), name)
