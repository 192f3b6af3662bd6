"""The OpenAPI description of the HTTP API, written by hand because the API is small and stable."""

from __future__ import annotations

from typing import Any

_ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
        },
        "retry_after": {"type": "integer", "description": "seconds to wait (429, and 503 when busy)"},
    },
}
_SUGGESTION = {
    "type": "object",
    "properties": {"id": {"type": "string"}, "question": {"type": "string"}, "heading": {"type": "string"}},
}
_SOURCE = {
    "type": "object",
    "properties": {
        "title": {"type": "string"},
        "file": {"type": "string"},
        "reviewed": {"type": ["string", "null"]},
        "date_kind": {"enum": ["reviewed", "published"]},
        "publisher": {"type": ["string", "null"]},
        "path": {"type": "array", "items": {"type": "string"}},
        "url": {"type": ["string", "null"], "description": "the page the document was taken from (http or https)"},
    },
}
_BLOCK = {
    "description": "a paragraph or a list, in the document's own words",
    "oneOf": [
        {
            "type": "object",
            "required": ["type", "text"],
            "properties": {"type": {"const": "paragraph"}, "text": {"type": "string"}},
        },
        {
            "type": "object",
            "required": ["type", "items"],
            "properties": {"type": {"const": "list"}, "items": {"type": "array", "items": {"type": "string"}}},
        },
    ],
}
_ANSWER = {
    "type": ["object", "null"],
    "properties": {
        "id": {"type": "string"},
        "question": {"type": "string"},
        "heading": {"type": "string"},
        "body": {"type": "string"},
        "blocks": {
            "type": "array",
            "items": _BLOCK,
            "description": "the short answer shown, verbatim; a list's lead-in paragraph is never apart from it",
        },
        "full_blocks": {"type": "array", "items": _BLOCK, "description": "the whole section"},
        "truncated": {"type": "boolean", "description": "blocks is shorter than full_blocks"},
        "source": _SOURCE,
        "confidence": {"type": "number"},
    },
}
_CONTACT = {
    "description": "the clinic's contact details (each null when not set), on replies that offer them: "
    "contact requests, declines when any is set, and the second decline in a row",
    "type": ["object", "null"],
    "required": ["phone", "booking_url", "hours", "address"],
    "properties": {
        "phone": {"type": ["string", "null"]},
        "booking_url": {"type": ["string", "null"]},
        "hours": {"type": ["string", "null"]},
        "address": {"type": ["string", "null"]},
    },
}
_REPLY = {
    "type": "object",
    "required": ["kind", "text", "answer", "suggestions", "disclaimers", "state", "lead", "emergency_number"],
    "properties": {
        "kind": {"enum": ["answer", "clarify", "fallback", "smalltalk", "emergency", "contact"]},
        "text": {"type": "string", "description": "the whole reply as plain text, disclaimers included"},
        "answer": _ANSWER,
        "suggestions": {"type": "array", "items": _SUGGESTION},
        "disclaimers": {
            "type": "array",
            "items": {"type": "string"},
            "minItems": 1,
            "description": "safety statements quoted from the documents, most relevant first: the first is shown "
            "inline, the others behind a disclosure",
        },
        "state": {
            "type": "string",
            "description": "opaque signed conversation state; send it back next turn",
        },
        "lead": {"type": "string"},
        "emergency_number": {"type": ["string", "null"]},
        "contact": _CONTACT,
        "emergency": {
            "description": "red flags the message raised: current (the emergency reply) or a subject only, with the "
            "line on what to do if it is happening now",
            "oneOf": [
                {"type": "null"},
                {
                    "type": "object",
                    "required": ["flags", "current", "note"],
                    "properties": {
                        "flags": {"type": "array", "items": {"type": "string"}},
                        "current": {"type": "boolean"},
                        "note": {"type": ["string", "null"]},
                    },
                },
            ],
        },
    },
}


_FEEDBACK_REQUEST: dict[str, Any] = {
    "type": "object",
    "required": ["answer_id", "vote"],
    "properties": {
        "answer_id": {"type": "string", "maxLength": 200, "description": "answer.id of the reply voted on"},
        "vote": {"enum": ["up", "down"]},
        "comment": {
            "type": "string",
            "maxLength": 200,
            "description": "optional one line, e.g. what the person was looking for; kept without what identifies "
            "people, and deleted after [insights] retention_days",
        },
        "confidence": {"type": "number", "minimum": 0, "maximum": 1, "description": "answer.confidence"},
        "question": {
            "type": "string",
            "description": "the question answered, sent with a thumbs down; kept only when the clinic sets "
            "[insights] keep_questions",
        },
    },
}


def _error_responses(*codes: str) -> dict[str, Any]:
    content = {"application/json": {"schema": _ERROR}}
    return {code: {"description": "error", "content": content} for code in codes}


def openapi_document(max_message_chars: int, max_body_bytes: int) -> dict[str, Any]:
    """The OpenAPI 3.1 document for this server's limits."""
    chat_request = {
        "type": "object",
        "required": ["message"],
        "properties": {
            "message": {"type": "string", "maxLength": max_message_chars},
            "state": {
                "type": ["string", "null"],
                "description": "the state from the previous reply, or null",
            },
        },
    }
    properties: dict[str, Any] = dict(_FEEDBACK_REQUEST["properties"])
    properties["question"] = {**properties["question"], "maxLength": max_message_chars}
    feedback_request = {**_FEEDBACK_REQUEST, "properties": properties}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "faqbot",
            "version": "1",
            "description": "Clinic FAQ chat: answers only from the clinic's documents.",
        },
        "paths": {
            "/api/chat": {
                "post": {
                    "summary": f"One turn (body at most {max_body_bytes} bytes; rate limited per client)",
                    "description": "A message with an emergency red flag is answered even over the rate limit.",
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": chat_request}},
                    },
                    "responses": {
                        "200": {
                            "description": "the reply",
                            "content": {"application/json": {"schema": _REPLY}},
                        },
                        **_error_responses("408", "413", "415", "422", "429", "503"),
                    },
                }
            },
            "/api/feedback": {
                "post": {
                    "summary": "A thumbs up or down on an answer (rate limited per client)",
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": feedback_request}},
                    },
                    "responses": {
                        "200": {
                            "description": "recorded",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "required": ["recorded"],
                                        "properties": {"recorded": {"const": True}},
                                    }
                                }
                            },
                        },
                        **_error_responses("408", "413", "415", "422", "429", "503"),
                    },
                }
            },
            "/api/greeting": {
                "get": {
                    "summary": "Starter questions for the greeting and the emergency number",
                    "responses": {"200": {"description": "greeting data"}},
                }
            },
            "/healthz": {
                "get": {
                    "summary": "Liveness and the versioned widget path",
                    "responses": {"200": {"description": "ok"}},
                }
            },
        },
    }
