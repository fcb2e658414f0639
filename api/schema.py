"""The OpenAPI schema's shared answers: every operation may answer the API's error shape
(``api.errors``) — 400 for refused input, 401 without valid credentials, 403, 404, and
429 when throttled — so a client (and schemathesis) knows every answer it can get."""

from __future__ import annotations

from typing import Any

ERROR_REF = {"$ref": "#/components/schemas/Error"}
ERRORS = {
    "400": "输入有误（查询参数或请求体），未写入任何数据",
    "401": "未认证：缺少令牌，或令牌无效、已撤销、已过期",
    "403": "无权执行此操作",
    "404": "不存在，或不在本人可见范围内",
    "429": "请求过于频繁，请稍后再试",
}
ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "detail": {"type": "string", "description": "错误说明（中文）"},
        "code": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "field": {"type": "string"},
                    "message": {"type": "string"},
                },
                "required": ["field", "message"],
            },
        },
    },
    "required": ["detail", "code", "errors"],
}


def error_responses(
    result: dict[str, Any], generator: Any, request: Any, public: Any
) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: the error answers on every operation."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = (
        ERROR_SCHEMA
    )
    for path, operations in result.get("paths", {}).items():
        for _method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            for code, description in ERRORS.items():
                if code == "401" and path.endswith(("/schema/", "/docs/")):
                    continue
                responses.setdefault(
                    code,
                    {
                        "description": description,
                        "content": {"application/json": {"schema": ERROR_REF}},
                    },
                )
    return result
