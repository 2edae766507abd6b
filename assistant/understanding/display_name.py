"""The customer's display name, made safe to greet with: the one place names are cleaned.

Display names on social platforms are set by whoever writes, and they go into public
replies ("Hi {name},") and into the LLM prompt. `clean_display_name` keeps what a
greeting needs and removes what could harm:

- control, format (bidi overrides, zero-width) and separator characters, newlines;
- mentions that ping many people (`@everyone`, `@here`...) and the `@` of handles;
- markup and template characters (`< > { } [ ] \\``), links;
- length beyond `MAX_LENGTH` characters (cut at a word boundary);
- the whole name when it is one word shaped like a handle (`jane_doe`, `home.by.anu`);
- and the whole name when it reads like instructions to the assistant ("ignore previous
  instructions", "SYSTEM: ...", or too many words for a name): it is dropped and the
  result says so, for a note to the agent.

The pipeline calls it once, on entry, so the offline and LLM drafts, the checks and the
review record all see the same clean name.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from pydantic import Field

from assistant.knowledge.word_files import name_instruction_words
from assistant.types import Model
from assistant.understanding.injection import find_injection

MAX_LENGTH = 64
MAX_WORDS = 8
_MASS_MENTION = re.compile(r"@+\s*(?:everyone|here|channel|all|room)\b", re.IGNORECASE)
_LINK = re.compile(r"(?:https?://|www\.)\S*", re.IGNORECASE)
_MARKUP = str.maketrans("", "", "<>{}[]`\\|*_~")
#: One word holding "_", "." or a digit between its letters ("@jane_doe", "home.by.anu",
#: "deepu_fitness", "rahul123"): a handle, and "नमस्ते priyadecor जी" or "Hi janedoe" is
#: no greeting an agent sends (they greet without a name instead).
_HANDLE = re.compile(r"@?[^\W_]*(?:[_.]|\d)[\w.]*", re.UNICODE)
#: A name shaped like a directive ("System:", "Note to bot:") whatever its language.
_DIRECTIVE_SHAPE = re.compile(r":\s*$|^\s*\w+\s*:")


class DisplayName(Model):
    """A cleaned display name; `text` is None when nothing usable is left."""

    text: str | None
    changed: bool = Field(description="Characters were removed or the name was cut.")
    dropped: str | None = Field(None, description="Why the whole name was left out.")

    @property
    def note(self) -> str | None:
        """A sentence for the agent when the name was dropped, else None."""
        if self.dropped is None:
            return None
        return (
            f"the customer's display name was left out of the drafts: {self.dropped} "
            "(greet without a name, or check the profile)"
        )


def clean_display_name(raw: str | None) -> DisplayName:
    """`raw` made safe to put in a greeting and a prompt (see the module docstring)."""
    if raw is None or not raw.strip():
        return DisplayName(text=None, changed=False)
    visible = _visible(raw)
    if _instruction_like(visible):
        return DisplayName(text=None, changed=True, dropped="it reads like instructions")
    if _HANDLE.fullmatch(visible):
        return DisplayName(text=None, changed=True, dropped="it looks like a handle, not a name")
    text = _MASS_MENTION.sub(" ", visible)
    text = _LINK.sub(" ", text).translate(_MARKUP).replace("@", "")
    text = _cut(" ".join(text.split()).strip(" ,.;:-"))
    if not text:
        return DisplayName(text=None, changed=True, dropped="nothing but symbols or mentions")
    return DisplayName(text=text, changed=text != raw)


def greeting_name(name: str, greet_by: str) -> str:
    """The part of a clean display name a greeting uses (`conventions.greet_by` of the
    locale pack): its first word for "first" ("Rohan Sharma" -> "Rohan"), unless that
    word is an initial or a title ("Dr.", "J."), too short to be a name, or the name is
    one word; the whole name otherwise. "surname" takes the family name: the first word
    of a name in Han or kana, which puts it first ("木村 玲子" -> "木村"), the last word
    of one in Latin letters ("Yuki Tanaka" -> "Tanaka")."""
    words = name.split()
    if greet_by not in ("first", "surname") or len(words) < 2:
        return name
    if greet_by == "surname" and name.isascii():
        words = words[::-1]
    first = words[0]
    if first.endswith(".") or sum(ch.isalpha() for ch in first) < 2:
        return name
    return first


def name_parts(name: str | None) -> list[str]:
    """What of `name` a reply may hold: the whole name and, when it has more than one
    word, its first word (`greeting_name`); for the checks that blank names out."""
    if not name or not name.strip():
        return []
    first = greeting_name(name, "first")
    return [name] if first == name else [name, first]


def _visible(raw: str) -> str:
    """NFKC (full-width letters become plain), without control or invisible characters."""
    text = unicodedata.normalize("NFKC", raw)
    kept = []
    for char in text:
        category = unicodedata.category(char)
        if category in ("Zl", "Zp") or char in "\n\r\t\v\f\x85":
            kept.append(" ")
        elif category not in ("Cc", "Cf", "Cs", "Co", "Cn"):
            kept.append(char)
    return " ".join("".join(kept).split())


def _instruction_like(text: str) -> bool:
    if find_injection(text) or _DIRECTIVE_SHAPE.search(text):
        return True
    if _instruction_words().search(text):
        return True
    return len(text.split()) > MAX_WORDS


def _cut(text: str) -> str:
    if len(text) <= MAX_LENGTH:
        return text
    head = text[:MAX_LENGTH]
    return head.rsplit(" ", 1)[0] if " " in head else head


@cache
def _instruction_words() -> re.Pattern[str]:
    """The words of assistant/data/injection/name_words.txt, as whole words."""
    words = "|".join(f"(?:{pattern})" for pattern in name_instruction_words())
    return re.compile(rf"\b(?:{words})\b", re.IGNORECASE)
