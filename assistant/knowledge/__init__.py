"""What the assistant may say: brand, channels, tones, locale packs and FAQ, validated.

    kb = load_knowledge_base("guidelines/")   # GuidelinesError lists every located problem

`models` are the file formats, `yaml_source` reads YAML with line numbers, `rules` checks
what spans several files, `loader` builds the `KnowledgeBase` (`base`), `coverage` shows
which answers exist in which language.
"""

from assistant.knowledge.base import KnowledgeBase, fill
from assistant.knowledge.coverage import coverage
from assistant.knowledge.loader import load_knowledge_base

__all__ = ["KnowledgeBase", "coverage", "fill", "load_knowledge_base"]
