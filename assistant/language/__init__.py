"""Which language and script a message is in, for short noisy social text.

`noise` strips handles, links and emoji; `scripts` decides what a writing system settles
alone; `detect` runs the models on shared scripts; `evaluate` scores detectors on data.
"""

from assistant.language.detect import detect_language

__all__ = ["detect_language"]
