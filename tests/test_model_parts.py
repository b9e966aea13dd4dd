"""The model agent's small parts on their own: DSML parsing, reply repair, the context rule, retries."""

import json
import random

import openai
import pytest

from synth.model.context import ContextWindow, request_messages
from synth.model.dsml import parse_calls
from synth.model.endpoint import MissingApiKey, ModelConfig, endpoints_from_options
from synth.model.reply import normalize_reply
from synth.model.retry import ContextLengthExceeded, ModelError, call_with_retry, retry_after_s

FW = "｜"


def test_dsml_calls_are_parsed_with_typed_parameters():
    text = (
        f'Checking.\n<{FW}DSML{FW}function_calls>\n<{FW}DSML{FW}invoke name="book">\n'
        f'<{FW}DSML{FW}parameter name="city" string="true">São Paulo</{FW}DSML{FW}parameter>\n'
        f'<{FW}DSML{FW}parameter name="nights" string="false">3</{FW}DSML{FW}parameter>\n'
        f'<{FW}DSML{FW}parameter name="filters" string="false">{{"stars": [4, 5]}}</{FW}DSML{FW}parameter>\n'
        f'</{FW}DSML{FW}invoke>\n<|DSML|invoke name="weather"><|DSML|parameter name="day" string="true">'
        f"3</|DSML|parameter></|DSML|invoke>\n</{FW}DSML{FW}function_calls>"
    )
    calls, rest = parse_calls(text)
    assert rest == "Checking."
    assert [(c["name"], json.loads(c["arguments"])) for c in calls] == [
        ("book", {"city": "São Paulo", "nights": 3, "filters": {"stars": [4, 5]}}),
        ("weather", {"day": "3"}),
    ]
    # a reply cut off inside the block keeps the invokes that were complete
    cut, _ = parse_calls(text[: text.index('<|DSML|parameter name="day"')])
    assert [c["name"] for c in cut] == ["book"]


def test_reply_repairs_are_recorded():
    reply = normalize_reply(
        {"content": None, "tool_calls": [{"function": {"name": "a", "arguments": {"x": 1}}}]},
        reasoning_fields=("reasoning_content",),
        offered={"a"},
        thinking=False,
        call_number=7,
    )
    assert reply.message["tool_calls"][0] == {
        "id": "call_7",
        "type": "function",
        "function": {"name": "a", "arguments": '{"x": 1}'},
    }
    assert set(reply.faults) == {"arguments_not_a_string", "tool_call_without_id"}
    empty = normalize_reply({"content": "  "}, reasoning_fields=(), offered=set(), thinking=True, call_number=1)
    assert not empty.usable and empty.faults == ["empty_reply"]


def test_context_rule_keeps_only_the_current_turns_reasoning():
    call = {"id": "c1", "type": "function", "function": {"name": "f", "arguments": "{}"}}
    messages = [
        {"role": "system", "content": "s"},
        {"role": "user", "content": "u1"},
        {"role": "assistant", "content": None, "reasoning_content": "old", "tool_calls": [call]},
        {"role": "tool", "tool_call_id": "c1", "content": "r"},
        {"role": "assistant", "content": "a1", "reasoning_content": "old answer"},
        {"role": "user", "content": "u2"},
        {"role": "assistant", "content": None, "reasoning_content": "new", "tool_calls": [call]},
        {"role": "tool", "tool_call_id": "c1", "content": "r"},
    ]
    sent = request_messages(messages, "reasoning_content")
    assert [m.get("reasoning_content") for m in sent if m["role"] == "assistant"] == [None, None, "new"]
    assert sent[2]["tool_calls"] == [call] and sent[2]["content"] == ""
    assert all("reasoning_content" not in m for m in request_messages(messages, None))


def test_discard_hides_whole_tool_rounds():
    def rnd(i):
        return [
            {
                "role": "assistant",
                "content": None,
                "tool_calls": [{"id": f"c{i}", "function": {"name": "f", "arguments": "{}"}}],
            },
            {"role": "tool", "tool_call_id": f"c{i}", "content": "x"},
        ]

    messages = (
        [{"role": "system", "content": "s"}, {"role": "user", "content": "u"}] + rnd(0) + rnd(1) + rnd(2) + rnd(3)
    )
    window = ContextWindow("discard-75%", 1000, 0.5)
    assert not window.over(500) and window.over(501)
    assert window.discard(messages, 0.75, 600)
    assert [m.get("tool_call_id") for m in window.view(messages) if m["role"] == "tool"] == ["c3"]


def _http():
    """The HTTP library this openai version builds its errors from."""
    try:
        import httpx2 as http
    except ImportError:
        import httpx as http
    return http


def status_error(code: int, headers: dict | None = None, message: str = "boom") -> openai.APIStatusError:
    httpx = _http()
    request = httpx.Request("POST", "http://127.0.0.1/v1/chat/completions")
    response = httpx.Response(code, headers=headers or {}, request=request)
    cls = {429: openai.RateLimitError, 400: openai.BadRequestError}.get(code, openai.InternalServerError)
    return cls(message, response=response, body=None)


def test_retry_waits_as_told_and_gives_up():
    waits, faults = [], []
    errors = iter(
        [status_error(429, {"retry-after": "2"}), status_error(503, {"retry-after-ms": "1500"}), status_error(502)]
    )

    def flaky():
        error = next(errors, None)
        if error:
            raise error
        return "ok"

    assert (
        call_with_retry(
            flaky,
            max_attempts=4,
            backoff_s=1.0,
            max_backoff_s=10,
            on_retry=lambda f, d: faults.append(f),
            rng=random.Random(0),
            sleep=waits.append,
        )
        == "ok"
    )
    assert faults == ["http_429", "http_503", "http_502"] and waits[:2] == [2.0, 1.5] and 2.0 <= waits[2] <= 4.0
    with pytest.raises(ModelError, match="gave up after 2 attempts"):
        call_with_retry(
            lambda: (_ for _ in ()).throw(status_error(500)),
            max_attempts=2,
            backoff_s=0.1,
            max_backoff_s=1,
            on_retry=lambda f, d: None,
            rng=random.Random(0),
            sleep=lambda s: None,
        )
    with pytest.raises(ContextLengthExceeded):
        call_with_retry(
            lambda: (_ for _ in ()).throw(status_error(400, message="maximum context length is 128k")),
            max_attempts=5,
            backoff_s=0.1,
            max_backoff_s=1,
            on_retry=lambda f, d: None,
            rng=random.Random(0),
            sleep=lambda s: None,
        )
    assert retry_after_s(status_error(429, {"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"})) == 0.0


def test_keys_come_from_the_environment_only(monkeypatch):
    monkeypatch.delenv("DEEPSEEK_API_KEY", raising=False)
    with pytest.raises(MissingApiKey, match="export DEEPSEEK_API_KEY"):
        ModelConfig(model="deepseek-reasoner").api_key()
    monkeypatch.setenv("DEEPSEEK_API_KEY", "sk-1")
    config = ModelConfig(model="deepseek-reasoner")
    assert config.api_key() == "sk-1" and "sk-1" not in config.model_dump_json()
    assert ModelConfig(model="m", provider="vllm").api_key() == "EMPTY"
    both = endpoints_from_options(
        model="big", provider="vllm", base_url="http://127.0.0.1:1/v1", temperature=0.6, solver_model="small"
    )
    assert both["solver"].model == "small" and both["solver"].base_url == "http://127.0.0.1:1/v1"
    assert both["solver"].temperature == 0.6 and both["model"].model == "big"
