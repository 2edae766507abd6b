"""Languages typed in Latin letters: romanised Indic, Armenian, Arabizi, Malay chat.

Every sentence here was written for these tests (no benchmark text).
"""

from __future__ import annotations

import importlib.util
import random
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from assistant.language import detect_language
from assistant.language.romanised import (
    INDIC,
    OTHER,
    chat_tokens,
    features,
    load_model,
    read_weights,
)

ROMANISED = [
    ("gu", "mane haju sudhi refund nathi malyu"),
    ("gu", "maro order kyare aavse? tame mane kaho ne"),
    ("gu", "hu tamne ketli vaar kahu ke mane maara paisa paacha joie che"),
    # Gujarati chat that mixes in English and Hindi-looking words ("karo", "bhai"):
    # the Gujarati chat lexicon (gu_latn.txt) decides before the Hindi markers.
    ("gu", "London ma delivery karo cho? mara bhai ne birthday gift mokalvi che"),
    ("gu", "app ma login nathi thatu, OTP aavto j nathi, shu karvu?"),
    ("gu", "tamari shop ketla vage khule che? mare exchange karvu che"),
    ("gu", "sofa ekdam saras che, ghar ma badha ne gamyu, thank you"),
    ("bn", "amar order ekhono ashe ni"),
    ("bn", "ami taka ferot chai, keno eto deri hocche bolun to"),
    ("bn", "apnader delivery khub kharap, amar jinish ta bhanga chilo"),
    # Short Banglish mixed with English: the Bengali chat lexicon (bn_latn.txt) decides
    # (the n-gram model read these as Urdu, Marathi and Hindi).
    ("bn", "amar order ashe nai, amar number 01911-000000, call diyen"),
    ("bn", "amar account e dhukte parchi na"),
    ("bn", "apnara ki dhaka te delivery den?"),
    ("te", "naa order inka raaledu"),
    ("te", "naaku refund eppudu vastundi cheppandi"),
    ("te", "meeru chala late chesaru, nenu chala badha paddanu"),
    # Telugu chat that mixes in English: the Telugu chat lexicon (te_latn.txt) decides.
    ("te", "meeru pampina sofa inka raaledu, 2 weeks ayindi, tracking lo emi update ledu"),
    ("te", "delivery boy chala late ga vachadu but product bagundi, thanks andi"),
    ("ta", "enakku refund eppo kidaikum sollunga"),
    ("ta", "unga delivery romba mosam, en porul udainju irundhadhu"),
    ("ml", "ente order ithuvare vannilla, eppol varum"),
    ("mr", "maza order ajun ala nahi, kadhi yeil te sanga"),
    ("hi", "bhai mujhe refund kab milega batao"),
    ("hy", "barev, inchpes es?"),
    ("hy", "vonc es"),
    ("hy", "shnorhakalutyun"),
    ("hy", "xndrum em, patvers der chi hasel"),
    ("hy", "barev dzez, inchu 4ekav patvers?"),
    ("ar", "3ayez a3raf el order fen"),
    ("ar", "mesh 3aref leh el order mat2a5ar keda"),
    ("ar", "kifak, shu sar bel order taba3i?"),
    ("ms", "bila nak sampai lah"),
    ("ms", "order saya tak sampai lagi"),
    ("ms", "bro parcel aku dah seminggu xde update lah"),
    ("ms", "my parcel still tak sampai lah, so slow"),
    # Indonesian chat words (id_latn.txt): the chat lexicon answers, as it does for Malay.
    ("id", "Saya mau tanya kapan barangnya dikirim"),
    ("id", "udah sampai belum ya kak"),
    ("id", "min paket aku kok belum nyampe juga, udah seminggu nih"),
    ("ar", "hi, ana 3ayez refund please"),
    # Hindi after a long English sentence: the Hindi markers still count.
    (
        "hi",
        "Please forward this to your manager because nobody is answering my emails at all. "
        "mera paisa wapas karo jaldi",
    ),
    # Chat words mixed into English, under the lexicons' usual share (0.25): two
    # different strong words and an English rest are enough (romanised._MIXED_SHARE).
    (
        "ms",
        "Ordered the lamp on Monday but the courier still tak datang, can you check for me? Korang ni slow betul",
    ),
    (
        "gu",
        "Ordered a table last week, still waiting, delivery boy said tomorrow but no update, bahu late che, kyare aavse?",
    ),
    (
        "gu",
        "The sofa is great but delivery was late, ekdam bekar experience, badhu kharab thai gayu",
    ),
    # chat verbs and numbers: "kapaya" (deducted), "kalak" (hours); Armenian participles
    ("gu", "tran divas thi be vaar paisa kapaya che, pacha kyare aavse?"),
    # mixed with English, which the n-gram model read as Bengali: 'biji', 'sasto', the lone j
    (
        "gu",
        "Tamara brass table lamp no design khub gamyo pan same lamp biji online site par"
        " 650 sasto dekhay che. Tame price match karo cho? Jo karo to aaje j order kari dau",
    ),
    ("hy", "barev, sapogs kotrvac a hasel, nkar uxarkem?"),
    # hy-395: Armenian chat with a Russian loan and a French-looking "malades"
    ("hy", "Bravo Nimbus, malades mi hat gorg em patvirel, kartic erku angam dram en qashel"),
]

ORDINARY = [
    ("en", "Hi, my parcel arrived damaged and I want a refund"),
    ("en", "Can you tell me when the store opens tomorrow?"),
    ("en", "thanks so much, the new lamp looks amazing"),
    ("en", "I have been waiting on hold for an hour, this is ridiculous"),
    ("en", "gr8, see u 2day at 5pm"),
    # one chat word, or a name that is one, does not make English Malay
    (
        "en",
        "I paid last week but the parcel still hasn't arrived, can you check the status for me please lah",
    ),
    ("en", "Kat and I went to the mall, tak was closed so we left"),
    ("es", "Hola, quiero saber dónde está mi pedido, por favor"),
    ("es", "No me ha llegado el reembolso todavía y nadie contesta"),
    ("pt", "Esse atendimento é uma piada, mano, cadê meu pedido?"),
    ("pt", "Oi, meu pacote chegou quebrado e quero trocar"),
    ("pt", "Vocês podem me ajudar com a minha conta?"),
    ("id", "Kak, paket saya belum datang juga, tolong dicek ya"),
    ("id", "kenapa paket saya belum sampai"),
    ("fr", "je ne sais pas quoi faire avec ma commande"),
    ("tl", "Hala, bakit wala pa yung order ko hanggang ngayon?"),
    ("tl", "Pwede po bang i-refund na lang yung bayad ko?"),
    ("sw", "Habari, oda yangu bado haijafika, tafadhali nisaidie"),
    ("sw", "Asante sana kwa huduma nzuri, nimefurahi"),
    ("it", "ma che cosa dici, no ne ho idea"),
    ("it", "non so che fare, il pacco non è ancora arrivato"),
]


@pytest.mark.parametrize(("language", "text"), ROMANISED)
def test_romanised_text_gets_its_language_in_latin_script(language: str, text: str) -> None:
    detection = detect_language(text)
    assert (detection.language, detection.script) == (language, "Latn")
    assert detection.method in ("romanised", "hinglish")


@pytest.mark.parametrize(("language", "text"), ORDINARY)
def test_ordinary_latin_text_is_not_pulled_in(language: str, text: str) -> None:
    detection = detect_language(text)
    assert detection.language == language
    assert detection.method not in ("romanised", "hinglish")


@pytest.mark.parametrize(("_", "text"), ROMANISED)
def test_reliable_means_a_clear_lead(_: str, text: str) -> None:
    detection = detect_language(text)
    confidences = [candidate.confidence for candidate in detection.candidates]
    if detection.reliable:
        assert confidences[0] - confidences[1] >= 0.15
    assert confidences == sorted(confidences, reverse=True)


def test_hindi_and_urdu_stay_candidates_of_each_other() -> None:
    detection = detect_language("aap ka order kal tak pahunch jayega, shukriya")
    assert detection.language in ("hi", "ur")
    assert {"hi", "ur"} <= {candidate.language for candidate in detection.candidates}


def test_close_romanised_neighbours_are_not_reliable() -> None:
    """A text the model splits between two Indic languages says so."""
    model = load_model()
    detection = detect_language("ye kitab bahut achhi hai")
    runner_up = detection.candidates[1]
    assert runner_up.language in INDIC
    if detection.confidence - runner_up.confidence < 0.15:
        assert not detection.reliable
    assert len(model.classes) == len(INDIC) + len(OTHER)


def test_hint_helps_a_romanised_tie_but_never_a_clear_answer() -> None:
    assert detect_language("amar order ekhono ashe ni", hint="hi-IN").language == "bn"
    assert detect_language("barev, inchpes es?", hint="es-ES").language == "hy"


def test_chat_tokens_keep_digits_and_drop_handles_and_links() -> None:
    tokens = chat_tokens("@shop3 3ayez a3raf #order5 https://t.co/x7 fen 2nd 12")
    assert tokens == ["3ayez", "a3raf", "fen", "2nd"]


def test_features_pad_words_and_shrink_elongations() -> None:
    grams = features("Nahiiii!")
    assert " nahii " in grams and " nahiiii " not in grams
    assert " n" in grams and "i " in grams and "hii" in grams
    assert features("123 !!") == []


def test_lexicon_files_are_word_weight_tables() -> None:
    for name in (
        "hy_latn.txt",
        "ar_latn.txt",
        "ms_latn.txt",
        "gu_latn.txt",
        "te_latn.txt",
        "bn_latn.txt",
        "id_latn.txt",
        "markers_ms.txt",
        "markers_id.txt",
    ):
        table = read_weights(name)
        assert len(table) > 50
        assert all(word == word.lower() and 0 <= weight <= 2 for word, weight in table.items())


def test_bundled_model_loads_with_every_class() -> None:
    model = load_model()
    assert model.classes == (*INDIC, *OTHER)
    assert model.logp.shape == (len(model.index), len(model.classes))
    assert model.margin > 0 and model.min_words >= 1
    assert model.scores("!!!") is None


def _script(name: str) -> ModuleType:
    path = Path(__file__).resolve().parents[1] / "benchmarks" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_refit_output_loads_and_separates_its_classes(tmp_path: Path) -> None:
    """The refit script's file format round-trips through the runtime loader."""
    fit = _script("fit_romanised")
    rng = random.Random(0)
    alphabet = "abcdefghijklmnopqrstuvwxyz"
    letters = {code: rng.sample(alphabet, 5) for code in (*INDIC, *OTHER)}

    def lines(code: str, count: int) -> list[str]:
        words = ("".join(rng.choices(letters[code], k=5)) for _ in range(count * 6))
        return [" ".join(next(words) for _ in range(6)) for _ in range(count)]

    train = {code: lines(code, 30) for code in letters}
    held = {code: lines(code, 8) for code in letters}
    path = tmp_path / "model.npz"
    fit.save(fit.build(train, held), path)
    model = load_model(path)
    assert model.classes == (*INDIC, *OTHER)
    for code in ("gu", "en"):
        found = model.scores(held[code][0])
        assert found is not None
        scores, count = found
        assert count > 0
        assert model.classes[int(np.argmax(scores))] == code


@pytest.mark.parametrize(
    ("text", "hint", "language"),
    [
        ("Saya mau tanya kapan barangnya dikirim, makasih ya", "ms-MY", "id"),
        ("Boleh saya tahu bila barang akan dihantar? Terima kasih", "id-ID", "ms"),
    ],
)
def test_hint_never_overrides_clear_malay_or_indonesian(
    text: str, hint: str, language: str
) -> None:
    assert detect_language(text, hint=hint).language == language
