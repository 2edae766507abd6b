"""Facts of the sample brand that tests pin: the contract of ../shared/design.md."""

#: The 15 languages of the sample brand, in brand.yaml order.
BRAND_LANGUAGES = ["en", "es", "fr", "de", "pt", "ar", "hi", "bn", "gu", "te", "hy", "ms", "id", "ja", "zh"]  # fmt: skip
