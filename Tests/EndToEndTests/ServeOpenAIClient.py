# Drives `tokenworks serve` with the official `openai` Python client: what other tools will do with it.
# Usage: python3 ServeOpenAIClient.py BASE_URL API_KEY MODEL. Prints one line per check; exits 1 if any failed.
import json
import sys
import urllib.error
import urllib.request

import openai

base_url, api_key, model = sys.argv[1], sys.argv[2], sys.argv[3]
client = openai.OpenAI(base_url=base_url, api_key=api_key, max_retries=0, timeout=120)
failures = []


def check(name):
    def run(fn):
        try:
            fn()
            print(f"ok   {name}")
        except Exception as error:  # a failed check is reported, the others still run
            failures.append(name)
            print(f"FAIL {name}: {type(error).__name__}: {error}")
        return fn
    return run


@check("models lists the served model")
def _():
    ids = [m.id for m in client.models.list().data]
    assert ids == [model], ids


@check("chat completion with usage")
def _():
    r = client.chat.completions.create(model=model, messages=[{"role": "user", "content": "Say hello."}],
                                       max_tokens=8, temperature=0)
    assert r.object == "chat.completion"
    assert isinstance(r.choices[0].message.content, str) and r.choices[0].message.content
    assert r.choices[0].finish_reason in ("stop", "length"), r.choices[0].finish_reason
    assert r.usage.prompt_tokens > 0 and r.usage.completion_tokens > 0
    assert r.usage.total_tokens == r.usage.prompt_tokens + r.usage.completion_tokens
    assert isinstance(r.usage.prompt_tokens_details.cached_tokens, int)


@check("streaming gives the same text as a plain call, then usage")
def _():
    messages = [{"role": "system", "content": "You are terse."}, {"role": "user", "content": "What is the sun?"}]
    plain = client.chat.completions.create(model=model, messages=messages, max_tokens=12, temperature=0)
    stream = client.chat.completions.create(model=model, messages=messages, max_tokens=12, temperature=0,
                                            stream=True, stream_options={"include_usage": True})
    text, usage, finish = "", None, None
    for chunk in stream:
        if chunk.usage is not None:
            usage = chunk.usage
        for choice in chunk.choices:
            text += choice.delta.content or ""
            finish = choice.finish_reason or finish
    assert text == plain.choices[0].message.content, (text, plain.choices[0].message.content)
    assert finish == plain.choices[0].finish_reason
    assert usage is not None and usage.completion_tokens == plain.usage.completion_tokens
    # the second identical prompt was read from the cache the first one left
    assert usage.prompt_tokens_details.cached_tokens > 0, usage


TOOLS = [{"type": "function", "function": {
    "name": "get_weather", "description": "Current weather in a city.",
    "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}}]


@check("required tool choice returns a tool call")
def _():
    r = client.chat.completions.create(model=model, messages=[{"role": "user", "content": "Weather in Paris?"}],
                                       tools=TOOLS, tool_choice="required", max_tokens=48, temperature=0)
    choice = r.choices[0]
    assert choice.finish_reason == "tool_calls", choice.finish_reason
    call = choice.message.tool_calls[0]
    assert call.type == "function" and call.function.name == "get_weather"
    assert "city" in json.loads(call.function.arguments), call.function.arguments
    assert call.id.startswith("call_")


@check("streamed tool call and a tool result turn")
def _():
    stream = client.chat.completions.create(
        model=model, messages=[{"role": "user", "content": "Weather in Rome?"}], tools=TOOLS,
        tool_choice={"type": "function", "function": {"name": "get_weather"}}, max_tokens=48, temperature=0,
        stream=True)
    calls, finish = [], None
    for chunk in stream:
        for choice in chunk.choices:
            calls += choice.delta.tool_calls or []
            finish = choice.finish_reason or finish
    assert finish == "tool_calls" and calls and calls[0].function.name == "get_weather", (finish, calls)
    r = client.chat.completions.create(model=model, temperature=0, max_tokens=48, tools=TOOLS, messages=[
        {"role": "user", "content": "Weather in Rome?"},
        {"role": "assistant", "content": None, "tool_calls": [{"id": calls[0].id, "type": "function", "function": {
            "name": "get_weather", "arguments": calls[0].function.arguments}}]},
        {"role": "tool", "tool_call_id": calls[0].id, "content": "{\"temperature_c\": 21, \"sky\": \"clear\"}"}])
    assert r.choices[0].finish_reason in ("stop", "length", "tool_calls")


@check("text completion, plain and streamed")
def _():
    r = client.completions.create(model=model, prompt="The capital of France is", max_tokens=5, temperature=0)
    assert r.object == "text_completion" and r.choices[0].text and 1 <= r.usage.completion_tokens <= 5
    pieces = client.completions.create(model=model, prompt="The capital of France is", max_tokens=5, temperature=0,
                                       stream=True)
    assert "".join(c.choices[0].text for c in pieces) == r.choices[0].text


@check("a wrong type is a 400 naming the field")
def _():
    try:
        client.chat.completions.create(model=model, messages=[{"role": "user", "content": "x"}], max_tokens="many")
    except openai.BadRequestError as error:
        assert error.status_code == 400
        assert error.body["message"] == "'max_tokens' must be an integer, found a string", error.body
        assert error.body["param"] == "max_tokens"
        return
    raise AssertionError("no error")


@check("a bad message is a 400 naming its path")
def _():
    try:
        client.chat.completions.create(model=model, messages=[{"role": "wizard", "content": "x"}])
    except openai.BadRequestError as error:
        assert error.body["message"] == "'messages[0].role' must be system, developer, user, assistant or tool, found 'wizard'", error.body
        return
    raise AssertionError("no error")


@check("malformed JSON is a 400 with a JSON error body")
def _():
    request = urllib.request.Request(base_url + "/chat/completions", data=b"{\"model\": ", method="POST",
                                     headers={"Authorization": "Bearer " + api_key, "Content-Type": "application/json"})
    try:
        urllib.request.urlopen(request, timeout=30)
    except urllib.error.HTTPError as error:
        body = json.loads(error.read())
        assert error.code == 400
        assert body["error"]["message"].startswith("the request body is not valid JSON: "), body
        return
    raise AssertionError("no error")


@check("a wrong key is refused")
def _():
    other = openai.OpenAI(base_url=base_url, api_key="not-the-key", max_retries=0)
    try:
        other.models.list()
    except openai.AuthenticationError as error:
        assert error.status_code == 401
        return
    raise AssertionError("no error")


print(f"openai-client checks: {len(failures)} of 10 failed" if failures else "openai-client checks: all 10 ok")
sys.exit(1 if failures else 0)
