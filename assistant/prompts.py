"""Prompt files: load them, check them, render them strictly.

A prompt is a YAML file in `prompts/` (engineers and content leads edit it):

    name: draft                 # must match the file name
    version: 3                  # int or semver string; recorded with every draft
    description: What the prompt is for.
    variables: [brand, message] # every variable the templates use, and no other
    system: |
      You write replies for {{ brand.name }}...
    user: |
      <customer_message>{{ message }}</customer_message>

`system` and `user` are Jinja2 templates rendered in a sandbox. Rendering is strict:
a variable that is declared but not given, given but not declared, or used but not
declared is a `PromptError` naming the file and the variable. The reply language is a
variable like any other: one file serves every language.

Also here, the two sides of the contract between code and prompt files: the models the
prompts must return (`LLMReply`, `RewriteReply`, `JudgeRubric`) and the plain values
templates see (`brand_context`, `locale_context`, ...; listed in prompts/README.md).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from jinja2 import StrictUndefined, Template, TemplateError, TemplateSyntaxError, meta, nodes
from jinja2.sandbox import SandboxedEnvironment
from pydantic import Field, ValidationError, field_validator

from assistant.errors import PromptError
from assistant.knowledge import KnowledgeBase, fill
from assistant.knowledge.models import Register
from assistant.resources import prompts_dir
from assistant.types import Model, Usage
from assistant.understanding.display_name import greeting_name

PROMPTS_DIR = prompts_dir()

_SEMVER = re.compile(r"^\d+(\.\d+){0,2}([-+][0-9A-Za-z.-]+)?$")
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_BLANK_LINES = re.compile(r"\n[ \t]*(\n[ \t]*){2,}")
_ENV = SandboxedEnvironment(
    undefined=StrictUndefined, autoescape=False, trim_blocks=True, lstrip_blocks=True
)
BLOCKS = ("system", "user")


class PromptFile(Model):
    """The fields of a prompt file."""

    name: str = Field(description="The prompt's name; must match the file name.")
    version: int | str = Field(description="Bump it when the wording changes: 3 or '1.2.0'.")
    description: str = Field(description="What the prompt is for, in one or two sentences.")
    variables: list[str] = Field(description="Every variable the templates use.")
    system: str = Field(description="The system message (Jinja2 template).")
    user: str = Field(description="The user message (Jinja2 template).")

    @field_validator("version")
    @classmethod
    def _semver(cls, value: int | str) -> int | str:
        bad_int = isinstance(value, int) and value < 0
        if bad_int or (isinstance(value, str) and not _SEMVER.match(value)):
            raise ValueError(f"use a whole number or a semver string like '1.2.0', not {value!r}")
        return value

    @field_validator("variables")
    @classmethod
    def _identifiers(cls, value: list[str]) -> list[str]:
        bad = [v for v in value if not _IDENTIFIER.match(v)]
        if bad:
            raise ValueError(f"not valid variable names: {', '.join(map(repr, bad))}")
        return value


@dataclass(frozen=True)
class RenderedPrompt:
    """A prompt with every variable filled: the system and user messages."""

    system: str
    user: str
    prompt_id: str = ""

    def messages(self) -> list[tuple[str, str]]:
        """As (role, text) pairs, the shape chat models accept."""
        return [("system", self.system), ("human", self.user)]


@dataclass(frozen=True)
class PromptTemplate:
    """A checked prompt file, ready to render. Build it with `load_prompt`."""

    name: str
    version: str
    description: str
    variables: tuple[str, ...]
    path: Path
    templates: Mapping[str, Template]

    @property
    def id(self) -> str:
        """`name@version`, e.g. `draft@3`: what drafts record."""
        return f"{self.name}@{self.version}"

    def render(self, **variables: Any) -> RenderedPrompt:
        """Fill the templates. Every declared variable must be given, and only those."""
        missing = [v for v in self.variables if v not in variables]
        if missing:
            raise PromptError(
                f"{self.path}: missing variable {missing[0]!r} (the prompt declares "
                f"{', '.join(self.variables)}); pass it to render()"
            )
        unknown = sorted(set(variables) - set(self.variables))
        if unknown:
            raise PromptError(
                f"{self.path}: unknown variable {unknown[0]!r}; declare it under "
                "`variables:` in the file or stop passing it"
            )
        system, user = (self._render_block(block, variables) for block in BLOCKS)
        return RenderedPrompt(system=system, user=user, prompt_id=self.id)

    def _render_block(self, block: str, variables: dict[str, Any]) -> str:
        try:
            text = self.templates[block].render(**variables)
        except TemplateError as exc:
            raise PromptError(f"{self.path}: {block}: {exc.message or exc}") from exc
        return _BLANK_LINES.sub("\n\n", text).strip()


def load_prompt(name: str, directory: str | Path | None = None) -> PromptTemplate:
    """Load and check `<directory>/<name>.yaml` (default directory: `prompts/`)."""
    folder = Path(directory) if directory is not None else PROMPTS_DIR
    path = (folder / f"{name}.yaml").resolve()
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in folder.glob("*.yaml"))) or "none"
        raise PromptError(f"{path}: prompt file not found; known prompts in {folder}: {known}")
    stat = path.stat()
    return _load(path, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=64)
def _load(path: Path, mtime_ns: int, size: int) -> PromptTemplate:
    # Cached per file version: every drafter loads the same files; an edit reloads.
    spec = _read(path)
    if spec.name != path.stem:
        raise PromptError(
            f"{path}: name: is {spec.name!r} but the file is {path.name}; make them match"
        )
    asts = {block: _parse(path, block, getattr(spec, block)) for block in BLOCKS}
    _check_variables(path, spec, {b: _used(ast) for b, ast in asts.items()})
    return PromptTemplate(
        name=spec.name,
        version=str(spec.version),
        description=spec.description.strip(),
        variables=tuple(spec.variables),
        path=path,
        templates={block: _ENV.from_string(ast) for block, ast in asts.items()},
    )


def _read(path: Path) -> PromptFile:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        raise PromptError(f"{where}: not valid YAML: {getattr(exc, 'problem', exc)}") from exc
    if not isinstance(data, dict):
        raise PromptError(
            f"{path}: must be a mapping with name, version, description, variables, system and user"
        )
    try:
        return PromptFile.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(_problem(err) for err in exc.errors())
        raise PromptError(f"{path}: {problems}") from exc


def _problem(err: Any) -> str:
    field = ".".join(str(p) for p in err["loc"])
    if err["type"] == "missing":
        return f"{field}: is required but missing; add it"
    if err["type"] == "extra_forbidden":
        return f"{field}: unknown field; allowed: {', '.join(PromptFile.model_fields)}"
    return f"{field}: {err['msg']}"


def _parse(path: Path, block: str, source: str) -> nodes.Template:
    try:
        return _ENV.parse(source)
    except TemplateSyntaxError as exc:
        raise PromptError(f"{path}: {block} (template line {exc.lineno}): {exc.message}") from exc


def _used(ast: nodes.Template) -> set[str]:
    return set(meta.find_undeclared_variables(ast)) - set(_ENV.globals)


def _check_variables(path: Path, spec: PromptFile, used: Mapping[str, set[str]]) -> None:
    declared = set(spec.variables)
    for block in BLOCKS:
        undeclared = sorted(used[block] - declared)
        if undeclared:
            raise PromptError(
                f"{path}: {block}: uses undeclared variable {undeclared[0]!r}; add it to "
                "`variables:` (or fix the spelling)"
            )
    unused = sorted(declared - used["system"] - used["user"])
    if unused:
        raise PromptError(
            f"{path}: variables: declares {unused[0]!r} but no template uses it; remove it"
        )


# -- What prompts return: the structured output of draft, rewrite and judge ------------
class LLMReply(Model):
    """The structured output of the drafting prompt."""

    text: str = Field(description="The reply, ready for an agent to review.")
    language: str = Field(description="ISO 639-1 code of the reply's language.")
    tone: str = Field(description="The tone used.")
    citations: list[str] = Field(description="Ids of the FAQ entries the reply relies on.")
    confidence: float = Field(ge=0.0, le=1.0, description="How sure the reply is right.")
    needs_escalation: bool = Field(description="A human specialist must take over.")


class RewriteReply(Model):
    """The structured output of the rewrite prompt."""

    text: str = Field(description="The rewritten reply.")
    language: str = Field(description="ISO 639-1 code of the reply's language.")


class Criterion(Model):
    """One judged criterion: a score and why."""

    score: int = Field(ge=1, le=5, description="1 unacceptable ... 5 excellent.")
    rationale: str = Field(description="Why, naming the evidence.")


class JudgeRubric(Model):
    """The structured output of the judge prompt."""

    helpfulness: Criterion
    tone: Criterion
    cultural_fit: Criterion
    grounding: Criterion


class JudgeScores(JudgeRubric):
    """An LLM judge's scores for one draft, with what judging cost."""

    judge: str = ""
    prompt: str = ""
    usage: Usage | None = None

    @property
    def overall(self) -> float:
        return (
            self.helpfulness.score
            + self.tone.score
            + self.cultural_fit.score
            + self.grounding.score
        ) / 4


# -- Variables built from the knowledge base -------------------------------------------
# Prompt files see plain dicts, lists and strings (documented in prompts/README.md), not
# pydantic models: content leads can read them, and the sandbox has nothing to reach.


def brand_context(kb: KnowledgeBase) -> dict[str, Any]:
    brand = kb.brand
    return {
        "name": brand.name,
        "voice": {
            "attributes": brand.voice.attributes,
            "do": brand.voice.do,
            "dont": brand.voice.dont,
        },
        "banned_phrases": brand.banned_phrases,
        "sign_off": brand.sign_off,
        "emoji_policy": brand.emoji_policy,
        "allowed_link_domains": brand.allowed_link_domains,
    }


def language_context(kb: KnowledgeBase, language: str) -> dict[str, str]:
    pack = kb.locales.get(language)
    return {"code": language, "name": pack.name if pack is not None else language}


def locale_context(
    kb: KnowledgeBase, language: str, register: str | None = None, customer_name: str | None = None
) -> dict[str, Any]:
    """The locale pack of `language`; greeting and closing filled in the chosen register."""
    pack = kb.locales.get(language)
    if pack is None:  # no pack: say nothing rather than borrow another language's forms
        return {
            "code": language,
            "register": register or "formal",
            "address": "",
            "formal_address": "",
            "directness": "direct",
            "avoid": [],
            "cultural_notes": [],
            "greeting": "",
            "closing": "",
        }
    chosen = register if register in ("formal", "informal") else pack.register_
    forms = pack.registers[chosen]  # type: ignore[index]
    greeting = forms.greeting if customer_name else forms.greeting_no_name
    name = greeting_name(customer_name or "", pack.conventions.greet_by)
    names = {**kb.constants(), "name": name}
    return {
        "code": language,
        "register": chosen,
        "address": forms.address,
        "formal_address": pack.registers["formal"].address,
        "directness": pack.directness,
        "avoid": pack.avoid,
        "cultural_notes": pack.cultural_notes,
        "greeting": fill(greeting, names),
        "closing": fill(forms.closing, {**names, "brand": kb.brand.sign_off}),
    }


def channel_context(kb: KnowledgeBase, channel: str) -> dict[str, Any]:
    policy = kb.channel(channel)
    return {"id": channel, **policy.model_dump(exclude={"mention"})}


def tone_context(kb: KnowledgeBase, tone: str) -> dict[str, Any]:
    preset = kb.tones.get(tone)
    if preset is None:
        return {
            "id": tone,
            "description": "",
            "empathy": False,
            "apology": False,
            "brevity": "normal",
            "register": None,
        }
    return {
        "id": tone,
        "description": preset.description,
        "empathy": preset.empathy,
        "apology": preset.apology,
        "brevity": preset.brevity,
        "register": preset.register_,
    }


def faq_context(
    kb: KnowledgeBase, faq_ids: list[str], language: str, register: Register | None = None
) -> list[dict[str, Any]]:
    """The approved answers, in `language` or else in the brand's default language (in
    `register` where the entry has a variant in it, `register_answers`)."""
    entries = []
    for faq_id in faq_ids:
        entry = kb.faq.get(faq_id)
        if entry is None:
            continue
        used = language if language in entry.answers else kb.brand.languages.default
        if used not in entry.answers:
            used = next(iter(entry.answers))
        entries.append(
            {
                "id": faq_id,
                "language": used,
                "answer": kb.answer(faq_id, used, register) or "",
                "timeline": entry.timeline,
                "needs_private_data": entry.needs_private_data,
                "escalate": entry.escalate,
                "links": [fill(x, kb.constants()) for x in entry.links],
            }
        )
    return entries


def hours_context(kb: KnowledgeBase, language: str, locale: str | None = None) -> str:
    """Support hours of the customer's region, e.g. 'Mon–Fri 08:00–19:00 (Europe/Berlin)'."""
    hours = kb.region_for(language, locale)
    days = hours.days
    span = f"{days[0].title()}–{days[-1].title()}" if len(days) > 1 else days[0].title()
    return f"{span} {hours.open}–{hours.close} ({hours.region}, {hours.timezone})"


_TAGS = re.compile(
    r"<\s*(/?)\s*(customer_message|thread_history|draft|faq|reference_reply)\b([^>]*)>",
    re.IGNORECASE,
)


def neutralise(text: str) -> str:
    """Defuse the delimiters prompts use, so untrusted text cannot close them early."""
    return _TAGS.sub(lambda m: f"‹{m.group(1)}{m.group(2)}{m.group(3)}›", text)
