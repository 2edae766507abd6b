"""Review endpoints: the key's name is the agent; only leads override blocking findings."""

from __future__ import annotations

import json

from assistant.review import ReviewStore
from assistant.types import Draft, Finding, Message

from .helpers import ServiceThread

BLOCK = Finding(id="private-data", severity="block", message="the reply repeats a card number")


def keys(service: ServiceThread) -> tuple[dict[str, str], dict[str, str]]:
    store = service.server.config.app.state.service.keys
    agent, lead = store.create("ana", "agent"), store.create("lena", "lead")
    return {"Authorization": f"Bearer {agent}"}, {"Authorization": f"Bearer {lead}"}


def test_add_list_show_edit_reject_export(service: ServiceThread) -> None:
    agent, _lead = keys(service)
    client = service.client
    added = client.post(
        "/v1/reviews",
        json={"text": "my lamp arrived broken!!", "channel": "facebook"},
        headers=agent,
    )
    assert added.status_code == 201
    review_id = added.json()["id"]
    second = client.post(
        "/v1/reviews", json={"text": "¿Dónde está mi pedido?"}, headers=agent
    ).json()["id"]
    pending = client.get("/v1/reviews", params={"status": "pending"}, headers=agent).json()
    assert [r["id"] for r in pending] == [review_id, second]
    assert pending[0]["message"]["text"] == "my lamp arrived broken!!"
    final = added.json()["draft"]["text"] + " 🙏"
    edited = client.post(f"/v1/reviews/{review_id}/edit", json={"text": final}, headers=agent)
    assert edited.status_code == 200 and edited.json()["status"] == "edited", edited.text
    assert edited.json()["agent"] == "ana" and edited.json()["edit_distance"] > 0
    again = client.post(f"/v1/reviews/{review_id}/reject", json={"reason": "late"}, headers=agent)
    assert again.status_code == 409 and "already edited by ana" in again.json()["detail"]
    assert (
        client.post(
            f"/v1/reviews/{second}/reject", json={"reason": "wrong FAQ"}, headers=agent
        ).status_code
        == 200
    )
    detail = client.get(f"/v1/reviews/{review_id}", headers=agent).json()
    assert [e["action"] for e in detail["events"]] == ["add", "edit"]
    exported = client.post("/v1/reviews/export", headers=agent).json()
    assert [r["id"] for r in exported] == [review_id]
    outbox = service.server.config.app.state.service.settings.outbox
    assert json.loads(outbox.read_text().splitlines()[0])["text"] == final
    assert client.get("/v1/reviews/999", headers=agent).status_code == 404
    stats = client.get("/v1/reviews/stats", params={"by": "language"}, headers=agent).json()
    assert stats["overall"]["decided"] == 2
    helpdesk = client.get(
        "/v1/reviews/stats", params={"by": "script", "source": "helpdesk"}, headers=agent
    ).json()
    assert (helpdesk["source"], helpdesk["overall"]["total"], helpdesk["by"]["script"]) == (
        "helpdesk", 0, []
    )  # fmt: skip
    desk = client.get("/v1/reviews/stats", params={"source": "desk"}, headers=agent).json()
    assert set(desk["by"]) == {"language", "script", "tone", "faq"}
    assert set(desk["most_edited"]) == {"faq", "snippet"} and desk["overall"]["edited"] == 1
    wrong = client.get("/v1/reviews/stats", params={"source": "zendesk"}, headers=agent)
    assert wrong.status_code == 422 and wrong.json()["detail"][0]["loc"] == ["query", "source"]


def test_asking_for_more_drafts_than_exist_says_how_many(service: ServiceThread) -> None:
    agent, _lead = keys(service)
    answer = service.client.post(
        "/v1/reviews", json={"text": "thanks!", "n": 2, "draft": 5}, headers=agent
    )
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["body", "draft"]
    assert "distinct draft(s) were possible" in answer.json()["detail"][0]["msg"]


def test_only_leads_override_blocking_findings(service: ServiceThread) -> None:
    agent, lead = keys(service)
    store: ReviewStore = service.server.config.app.state.service.store
    draft = Draft(
        text="Your card 4111 1111 1111 1111 is refunded.",
        language="en",
        tone="friendly",
        findings=[BLOCK],
    )
    blocked = store.add_draft(Message(text="refund?"), draft)
    url = f"/v1/reviews/{blocked.id}/approve"
    plain = service.client.post(url, json={}, headers=agent)
    assert plain.status_code == 409 and "blocking findings" in plain.json()["detail"]
    refused = service.client.post(url, json={"override_reason": "customer asked"}, headers=agent)
    assert refused.status_code == 403 and "only leads" in refused.json()["detail"]
    allowed = service.client.post(url, json={"override_reason": "customer asked"}, headers=lead)
    assert allowed.status_code == 200 and allowed.json()["agent"] == "lena"
