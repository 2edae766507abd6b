"""What a message means and which approved answer fits it.

`embeddings` (the one e5 query vector), `retrieval` (FAQ hits), `analysis` (sentiment,
urgency, intent, escalation), `private_data`, `injection`, `guidance` (guideline snippets).
"""
