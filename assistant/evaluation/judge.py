"""The LLM judge: scores a draft 1-5 with rationales, with prompts/judge.yaml.

Takes the same backend ids as the drafter (`openai:gpt-4o`, `anthropic:<model>`,
`ollama:<model>`...): `build_judge("anthropic:claude-sonnet-4-5")`.
"""

from __future__ import annotations

from typing import Any

from assistant.drafting.llm_caller import LLMFailure
from assistant.drafting.llm_client import LLMClient
from assistant.errors import BackendError
from assistant.knowledge import KnowledgeBase
from assistant.prompts import (
    JudgeRubric,
    JudgeScores,
    brand_context,
    channel_context,
    faq_context,
    language_context,
    load_prompt,
    locale_context,
    neutralise,
    tone_context,
)
from assistant.settings import Settings
from assistant.types import Draft, Message


class LLMJudge(LLMClient):
    """Scores drafts with prompts/judge.yaml; used by the evaluation library."""

    def __init__(self, chat_model: Any, *, model: str, **options: Any) -> None:
        super().__init__(chat_model, model=model, **options)
        self.prompt = load_prompt("judge", self.prompts_dir)

    def score(
        self, message: Message | str, draft: Draft, kb: KnowledgeBase, reference: str | None = None
    ) -> JudgeScores:
        """Scores from 1 to 5 with rationales; BackendError when the judge fails."""
        msg = message if isinstance(message, Message) else Message(text=message)
        language, tone = draft.language, tone_context(kb, draft.tone)
        rendered = self.prompt.render(
            brand=brand_context(kb),
            language=language_context(kb, language),
            locale=locale_context(kb, language, tone["register"], msg.customer_name),
            channel=channel_context(kb, msg.channel),
            tone=tone,
            faq=faq_context(kb, draft.citations, language),
            message=neutralise(msg.text),
            draft=neutralise(draft.text),
            citations=draft.citations,
            reference=neutralise(reference) if reference else "",
        )
        try:
            rubric, usage = self._call(rendered, JudgeRubric)
        except LLMFailure as failure:
            raise BackendError(f"{failure.reason}; the draft was not judged") from None
        return JudgeScores(
            **rubric.model_dump(), judge=self.name, prompt=self.prompt.id, usage=usage
        )


def build_judge(backend_id: str, settings: Settings | None = None) -> LLMJudge:
    """The judge for a backend id: `openai`, `openai:gpt-4o`, `anthropic:<model>`..."""
    return LLMJudge.from_settings(settings or Settings(), model=backend_id)
