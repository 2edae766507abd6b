"""Pydantic models of the files in `guidelines/` (what content leads edit).

One model per file kind: `Brand` (brand.yaml), `ChannelsFile` (channels.yaml),
`TonesFile` (tones.yaml), `LocalePack` (locales/<lang>.yaml), `FaqEntry` (faq/*.yaml).
Field descriptions become the JSON Schemas that editors use to autocomplete, so
they are written for content leads, not programmers.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, field_validator

from assistant.types import Model

Register = Literal["formal", "informal"]
ReplyScript = Literal["native", "customer"]
Directness = Literal["direct", "indirect"]
Visibility = Literal["public", "private"]
EmojiPolicy = Literal["none", "sparing", "free"]

#: Placeholders the assistant fills in at run time. Files may use these plus the
#: constants declared under `placeholders:` in brand.yaml; anything else is an error.
RUNTIME_PLACEHOLDERS: dict[str, str] = {
    "name": "the customer's name",
    "brand": "the brand name from brand.yaml",
    "hours": "support hours of the customer's region",
    "team": "the team an escalation goes to",
    "channel": "the private channel to continue on (DM, email...)",
    "response_time": "the response-time target of the channel",
}

PLACEHOLDER = re.compile(r"\{([a-zA-Z_][a-zA-Z0-9_]*)\}")


class Voice(Model):
    attributes: list[str] = Field(description="Adjectives that describe how the brand sounds.")
    do: list[str] = Field(default_factory=list, description="Things every reply should do.")
    dont: list[str] = Field(default_factory=list, description="Things no reply may do.")


class EscalationRule(Model):
    trigger: str = Field(description="Short id of the trigger, e.g. legal_threat.")
    description: str = Field(description="When this trigger applies, in plain words.")
    keywords: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Words or phrases per language code that fire the trigger "
        "(case-insensitive). Use 'any' for words that fire in every language.",
    )
    team: str = Field(description="Team that takes over, e.g. Legal, Trust & Safety.")
    channel: str = Field(description="Where the conversation continues, e.g. email, phone.")
    priority: Literal["normal", "high", "urgent"] = "high"


class SupportHours(Model):
    region: str = Field(description="Region name shown to customers, e.g. Europe.")
    timezone: str = Field(description="IANA time zone, e.g. Europe/Berlin.")
    days: list[Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]]
    open: str = Field(pattern=r"^\d{2}:\d{2}$", description="Opening time, 24h HH:MM.")
    close: str = Field(pattern=r"^\d{2}:\d{2}$", description="Closing time, 24h HH:MM.")
    languages: list[str] = Field(
        description="Languages (pt) or locales (pt-PT) whose customers this region serves; "
        "a locale listed here wins over its language listed in another region."
    )


class LanguagePolicy(Model):
    supported: list[str] = Field(description="Language codes the brand answers in.")
    default: str = Field(description="Language used when nothing else applies.")
    fallbacks: dict[str, str] = Field(
        default_factory=dict,
        description="Unsupported language or locale -> supported language to answer in "
        "(e.g. 'pt-BR: pt', 'id: ms').",
    )
    reply_script: dict[str, ReplyScript] = Field(
        default_factory=dict,
        description="Language -> the script of replies to customers who write it in another "
        "script (Hindi typed in Latin letters): 'native' (default: Devanagari for hi) or "
        "'customer' (Roman Hindi, from locales/hi-Latn.yaml and the FAQ's hi-Latn answers).",
    )


class Approval(Model):
    required: bool = Field(True, description="Every draft needs an agent's approval to send.")
    approvers: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Role -> what it may approve (faq, escalation, public, private, override).",
    )


class Requirements(Model):
    greeting: bool = Field(True, description="Replies must open with a greeting.")
    sign_off: bool = Field(True, description="Replies must end with the brand sign-off.")


class Brand(Model):
    """brand.yaml: who the brand is and the rules every reply follows."""

    name: str
    voice: Voice
    sign_off: str = Field(description="Name used to sign replies, e.g. 'Nimbus Care'.")
    emoji_policy: EmojiPolicy = "sparing"
    banned_phrases: list[str] = Field(
        default_factory=list, description="Phrases no reply may contain, in any language."
    )
    allowed_link_domains: list[str] = Field(
        default_factory=list, description="Domains replies may link to (subdomains included)."
    )
    escalation: list[EscalationRule] = Field(default_factory=list)
    response_targets: dict[str, int] = Field(
        description="Channel -> minutes within which a first reply is due."
    )
    support_hours: list[SupportHours]
    ai_disclosure: bool = Field(
        False, description="Add the locale pack's AI-disclosure line to every draft."
    )
    languages: LanguagePolicy
    approval: Approval = Field(default_factory=Approval)
    requires: Requirements = Field(default_factory=Requirements)
    review_interval_days: int = Field(
        180, ge=1, description="FAQ entries not reviewed for this many days are stale."
    )
    placeholders: dict[str, str] = Field(
        default_factory=dict,
        description="Constants usable as {placeholder} in answers and lines, e.g. help_url.",
    )


class ChannelPolicy(Model):
    label: str = Field(description="Name shown to agents, e.g. 'X (Twitter)'.")
    max_length: int = Field(gt=0, description="Maximum reply length in characters.")
    visibility: Visibility = Field(description="public (everyone sees it) or private (DM).")
    links: bool = Field(True, description="Links allowed in replies.")
    emoji: EmojiPolicy = "sparing"
    mention: Literal["handle", "name", "none"] = Field(
        "name", description="How to address the customer: @handle, first name, or not at all."
    )
    private_alternative: str | None = Field(
        None, description="Channel to move to when private data is needed (public channels)."
    )


class ChannelsFile(Model):
    """channels.yaml: how replies are shaped for each channel."""

    channels: dict[str, ChannelPolicy]


class Tone(Model):
    description: str
    when: list[str] = Field(
        description="Situations: negative, neutral, positive, complaint, question, praise, "
        "urgent, escalation."
    )
    empathy: bool = Field(False, description="Open with an empathy line.")
    apology: bool = Field(False, description="Include an apology line.")
    register_: Register | None = Field(
        None, alias="register", description="Force a register; default: the locale's."
    )
    brevity: Literal["short", "normal"] = "normal"


class TonesFile(Model):
    """tones.yaml: tone presets the drafters can use."""

    tones: dict[str, Tone]


class RegisterForms(Model):
    address: str = Field(description="Form of address, e.g. Sie, vous, aap, Դուք, anda.")
    markers: list[str] = Field(
        default_factory=list,
        description="Words that only this register uses (checked for mixing registers).",
    )
    greeting: str = Field(description="Greeting with {name}.")
    greeting_no_name: str = Field(description="Greeting when the name is unknown.")
    closing: str = Field(description="Closing line; may use {brand}.")


class Lines(Model):
    empathy: list[str] = Field(min_length=1, description="Acknowledge how the customer feels.")
    apology: list[str] = Field(min_length=1)
    thanks: list[str] = Field(min_length=1, description="Thank the customer (for praise).")
    take_private: str = Field(description="Move to DM/email; say so publicly. May use {channel}.")
    private_data_warning: str = Field(
        description="Ask the customer not to post personal data publicly."
    )
    hours: str = Field(description="When the team is available. Uses {hours}.")
    away: str = Field(description="Sent outside support hours. Uses {hours}.")
    clarify: str = Field(description="Ask for details when no FAQ entry fits.")
    escalate: str = Field(description="A specialist team takes over. Uses {team}.")
    praise: str = Field(description="Reply to praise (no FAQ answer).")
    ai_disclosure: str = Field(description="Says a bot wrote the reply and a human is near.")


class Conventions(Model):
    date: str = Field(description="Date format, e.g. DD.MM.YYYY.")
    time: Literal["12h", "24h"]
    decimal: str
    thousands: str
    weekdays: list[str] | None = Field(
        None,
        min_length=7,
        max_length=7,
        description="Short weekday names Monday to Sunday, used when stating support hours.",
    )
    greet_by: Literal["first", "full", "surname"] = Field(
        "full",
        description="The part of the customer's display name a greeting uses: 'first' "
        "(the first word: 'Namaste Rohan ji' for Rohan Sharma), 'surname' (the family "
        "name: the first word of a name in Han or kana, '木村様' for 木村 玲子, the last "
        "of one in Latin letters) or the 'full' name.",
    )
    home_country: str | None = Field(
        None,
        pattern=r"^[A-Z]{2}$",
        description="ISO 3166 country most of the language's customers write from ('CN' "
        "for zh): support hours are shown in its time zone when the customer's locale names "
        "no country, not in the serving region's ('Tokyo' for a customer in China).",
    )


class Cues(Model):
    """Words that signal how the customer feels; content leads can extend them."""

    negative: list[str] = Field(default_factory=list)
    positive: list[str] = Field(default_factory=list)
    anger: list[str] = Field(default_factory=list)
    worry: list[str] = Field(default_factory=list)
    urgency: list[str] = Field(default_factory=list)
    thanks: list[str] = Field(default_factory=list)


Words = list[str] | None


def _words(description: str) -> Words:
    return Field(None, description=description + " Whole words; `word*` matches any ending.")


#: A two-letter region code as phone numbers use it (ISO 3166-1 alpha-2, upper case).
PhoneRegion = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]


def _counted(description: str) -> Words:
    return Field(
        None,
        description=description + " Literal text, matched in messages of any language "
        "of the brand; a word also matches at the start of a longer one.",
    )


class Lexicon(Model):
    """Words the guardrail checks recognise in this language (data, not code).

    A list left out falls back to English, and `assistant guidelines check` warns about
    it; write `[]` for a list the language does not need. Phone regions and the counting
    words (numbers, days, weeks, contacts, ordinals) describe messages instead: the
    counting words of every language count in every message.
    """

    refund: Words = _words("Words that promise money back: refund*, reembols*.")
    compensation: Words = _words("Words that promise compensation: voucher*, waive*.")
    guarantee: Words = _words("Words that guarantee an outcome: guarante*, we promise.")
    free: Words = _words("Words that promise something for free: free of charge, gratis.")
    deadline: Words = _words("Relative deadlines: today, tomorrow, right away.")
    units: Words = _words("Time units that make a number a duration: day*, hour*, week*.")
    range_words: Words = _words("Words between the two numbers of a range: to, and (5 to 10).")
    question_words: Words = _words(
        "Words that open a question without a question mark: how, what, can (intent 'question')."
    )
    request_words: Words = _words(
        "Phrases that ask without a question mark, anywhere in the message, as letters do: "
        "could you, je voudrais savoir, 请问 (intent 'question', not praise)."
    )
    negations: Words = _words(
        "Words that negate a promise just before it (or after it, see negation_after): not."
    )
    not_promises: Words = _words(
        "Phrases that contain a promise word but promise nothing: feel free, good morning."
    )
    empathy: Words = _words("Words of empathy and apology in a reply: sorry, understand*.")
    thanks: Words = _words("Words that thank the customer in a reply: thank*, grateful.")
    greetings: Words = _words("Greeting words that open a reply: hi, hello, dear.")
    private_data: Words = _words(
        "Names of personal data a public reply must not ask for: order number*, address."
    )
    private_channel: Words = _words(
        "Words that move the conversation private: DM, private message*."
    )
    orders: Words = _words(
        "Words naming the customer's own order, parcel, delivery, refund or charge: my "
        "order, parcel. With no FAQ entry that fits, the reply asks for the order number."
    )
    waiting: Words = _words(
        "Words saying something has still not happened: still not, not yet. Praise words "
        "with these are sarcasm (a complaint, never thanked)."
    )
    currency_words: Words = _words(
        "Money words written after an amount: dollars, euros, रुपये, 円. An amount no "
        "approved source gives blocks the draft (symbols and codes such as $, EUR are known)."
    )
    percent_words: Words = _words(
        "Percent words written after a number: percent, por ciento, प्रतिशत (% is known)."
    )
    phone_regions: list[PhoneRegion] | None = Field(
        None,
        description="Countries whose phone numbers customers writing this language give, "
        "most likely first (two-letter codes: [IN, BD]); US is tried after them and a list "
        "of common regions for any longer number left unexplained.",
    )
    number_words: dict[str, int] | None = Field(
        None,
        description="Small counts written as words, with their value: {two: 2, three: 3} "
        "(as in 'two weeks'). Matched in messages of any language of the brand.",
    )
    day_words: Words = _counted("Words for days after a count: day, days, días, दिन, 日.")
    week_words: Words = _counted("Words for weeks after a count: week, weeks, semanas, 週間.")
    month_words: Words = _counted("Words for months after a count: month, meses, महीने, ヶ月.")
    contact_words: Words = _counted(
        "Words after an ordinal or a count that count the customer's messages: message, "
        "messages, time (4th message, 3 emails, three emails; a count of 'time' is any "
        "repetition, data/understanding/times_words.json)."
    )
    ordinal_suffixes: Words = _counted(
        "Endings written after a digit to make it an ordinal: nd, rd, th (2nd, 4th), º, ª."
    )
    ordinal_words: Words = _counted(
        "Ordinals written as words, followed by a contact word: second, third (third time)."
    )
    negation_after: bool = Field(
        False,
        description="The negation may follow the promise word (verb-final languages such as "
        "Hindi, Japanese, Armenian).",
    )

    def missing(self) -> list[str]:
        """Names of the word lists this pack leaves out."""
        return [name for name, value in self if value is None]


class LocalePack(Model):
    """locales/<lang>.yaml: how the brand speaks one language."""

    language: str
    name: str = Field(description="Name of the language in itself, e.g. Deutsch.")
    register_: Register = Field(alias="register", description="Default register for replies.")
    registers: dict[Register, RegisterForms]
    lines: Lines
    directness: Directness
    avoid: list[str] = Field(default_factory=list, description="Idioms and slang not to use.")
    conventions: Conventions
    cultural_notes: list[str] = Field(default_factory=list)
    cues: Cues = Field(default_factory=Cues)
    lexicon: Lexicon = Field(
        default_factory=Lexicon,
        description="Words the checks recognise in this language (promises, empathy, "
        "greetings, private data...). Lists left out fall back to English, with a warning.",
    )

    @field_validator("registers")
    @classmethod
    def _both_registers(cls, value: dict[str, RegisterForms]) -> dict[str, RegisterForms]:
        missing = {"formal", "informal"} - set(value)
        if missing:
            raise ValueError(f"add the missing register(s): {', '.join(sorted(missing))}")
        return value


class FaqEntry(Model):
    """faq/<id>.yaml: one approved answer, in every supported language."""

    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", description="Stable id, kebab-case.")
    intent: str = Field(description="What the customer wants, in plain English.")
    tags: list[str] = Field(default_factory=list)
    needs_private_data: bool = Field(
        False, description="Answering needs order number, address...: take it private."
    )
    escalate: bool = Field(False, description="Always hand over to a human team.")
    timeline: str | None = Field(
        None,
        description="The realistic timeline this answer promises, e.g. '5-10 business "
        "days'. Drafts may only promise what is written here.",
    )
    owner: str
    last_reviewed: dt.date
    links: list[str] = Field(default_factory=list)
    questions: dict[str, list[str]] = Field(
        description="Language -> how customers ask this (3+ variants, social-media style)."
    )
    answers: dict[str, str] = Field(description="Language -> the approved answer.")
    register_answers: dict[Register, dict[str, str]] = Field(
        default_factory=dict,
        description="Register -> language -> the approved answer in that register, where "
        "the `answers` text is written in the other one (formal: {es: usted wording} when "
        "the Spanish answer says tú). Replies in that register use it.",
    )
    topic_words: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Language -> words that show a message is about this entry (`word*` "
        "matches any ending). The 'answer may not fit' check warns when none occur in the "
        "message (message language and English), and the offline drafter then asks instead.",
    )
    passing_words: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Language -> those of the topic words that also come up in messages "
        "about other entries ('address' where a customer gives theirs; 'hasn't arrived' of "
        "a refund or a reset e-mail). They still count as topic words, but a retrieved "
        "entry the message names with its other topic words is answered before this one.",
    )
    asks_private: bool = Field(
        False,
        description="true when the approved answer itself asks for the private details "
        "('send us a photo and your order number privately'): the offline reply then adds "
        "no move-to-private line of its own, which would ask a second time.",
    )
    answers_waits: bool = Field(
        False,
        description="true for the one entry that answers a complaint about a long wait "
        "naming no topic ('11 days for 400 km, great logistics 🙄'): usually order-status.",
    )
    machine_translated: list[str] = Field(
        default_factory=list,
        description="Languages whose answer was machine-translated and needs a fluent review.",
    )
    draft: bool = Field(
        False,
        description="true while the entry is being written: it is skipped (with a warning) "
        "and never used in replies.",
    )
