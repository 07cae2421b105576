#!/usr/bin/env python3
"""Writes the fuzz seed corpora (fuzz/corpus/<target>/): small valid inputs of every format.

GGUF seeds come from gguf-py (the `gguf` package, 0.19.0 here) so they are the reference writer's bytes; the
text seeds are the repository's own files (themes, profiles, templates, grammar fixtures) plus a few written
here to reach more syntax. Run from anywhere: python3 fuzz/corpus/make-seeds.py
"""
import os
import shutil
import sys

import numpy as np
import gguf

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def out(target, name, data):
    os.makedirs(os.path.join(HERE, target), exist_ok=True)
    mode = "wb" if isinstance(data, bytes) else "w"
    with open(os.path.join(HERE, target, name), mode) as f:
        f.write(data)


def copy(target, path):
    os.makedirs(os.path.join(HERE, target), exist_ok=True)
    shutil.copy(os.path.join(ROOT, path), os.path.join(HERE, target, os.path.basename(path)))


def gguf_seeds():
    path = os.path.join(HERE, "gguf", "small")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    w = gguf.GGUFWriter(path, "llama")
    w.add_uint32("llama.block_count", 2)
    w.add_float32("test.f32", 3.25)
    w.add_bool("test.bool", True)
    w.add_string("test.string", "héllo")
    w.add_array("tokenizer.ggml.tokens", ["<s>", "</s>", "a", "b"])
    w.add_array("test.ints", [1, -2, 3])
    w.add_tensor("token_embd.weight", np.arange(16, dtype=np.float32).reshape(4, 4))
    w.add_tensor("output_norm.weight", np.ones(4, dtype=np.float16))
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    empty = os.path.join(HERE, "gguf", "empty")
    w = gguf.GGUFWriter(empty, "llama")
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()


def main():
    gguf_seeds()
    copy("jinja", "prompts/templates/chatml.jinja")
    out("jinja", "loops.jinja",
        "{{- bos_token }}{% for m in messages %}{% if loop.first and m.role == 'system' %}[S]{{ m.content }}"
        "{% elif m.role == 'user' %}<|user|>{{ m.content | trim }}{% else %}<|assistant|>"
        "{{ m.content | default('', true) }}{% endif %}{% endfor %}{% if add_generation_prompt %}<|assistant|>"
        "{% endif %}")
    out("jinja", "macros.jinja",
        "{% macro t(tool, n=2) %}{{ tool.function.name }}: {{ tool.function | tojson(indent=n) }}{% endmacro %}"
        "{% set ns = namespace(c=0) %}{% for x in tools if x.type == 'function' %}{% set ns.c = ns.c + 1 %}"
        "{{ t(x) }}{% endfor %}{{ ns.c }} {{ messages | selectattr('role', 'equalto', 'user') | list | length }}"
        "{{ '%05.1f' | format(3.14159) }} {{ [3, 1, 2] | sort | join(',') }} {{ 'a b' .split(' ') }}"
        "{{ raise_exception('stop') if false }}{{ strftime_now('%Y') }}")
    out("jinja", "filters.jinja",
        "{% for k, v in {'a': 1, 'b': [2, 3]} | dictsort %}{{ k }}={{ v }}{% endfor %}{% set r = range(3) | list %}"
        "{{ r | sum }} {{ r[::-1] }} {{ 'x' * 3 }} {{ 7 // 2 }} {{ 2 ** 5 }} {% filter upper %}f{% endfilter %}"
        "{# c #}{% with y = 5 %}{{ y is divisibleby 5 }}{% endwith %}{% raw %}{{ x }}{% endraw %}")
    for name in ["coder", "default", "summarizer"]:
        copy("profile", f"prompts/agents/{name}.yaml")
    out("profile", "every-key.yaml",
        "name: fuzz\ndescription: \"all keys\"\nmodel: /m.gguf\nsystem: |\n  Be terse.\n"
        "tools: [read_file, ask_helper, delegate]\n"
        "budget: {max_steps: 3, max_tokens: 1_000, max_cost_usd: 0.5, max_seconds: 1.5, max_depth: 0}\n"
        "generation: {max_tokens: 64, temperature: 0.7, repeat_penalty: 1.1}\ntool_format: native\n"
        "constrained: off\ntool_first: yes\nshell: {allow: ['ls -la', \"git log\"], timeout_seconds: 2.5}\n"
        "result_limit: 4096\n")
    for name in sorted(os.listdir(os.path.join(ROOT, "examples"))):
        if name.endswith(".yaml"):
            copy("script", f"examples/{name}")
    for name in ["dark", "light", "high-contrast", "mono", "sixteen"]:
        copy("theme", f"themes/{name}.yaml")
    copy("schema", "Tests/Fixtures/grammar/tool-call.schema.json")
    out("schema", "object.json",
        '{"type": "object", "properties": {"a": {"type": "array", "items": {"type": "integer", "minimum": -5, '
        '"maximum": 300}, "minItems": 1, "maxItems": 4}, "b": {"enum": ["x", 1, null, true]}, "c": {"type": '
        '["string", "null"], "minLength": 2, "maxLength": 8}}, "required": ["a"], "additionalProperties": false}')
    out("schema", "refs.json",
        '{"$ref": "#/$defs/node", "$defs": {"node": {"type": "object", "properties": {"v": {"type": "number"}, '
        '"kids": {"type": "array", "items": {"$ref": "#/$defs/node"}}}, "required": ["v"]}}}')
    out("schema", "oneof.json",
        '{"oneOf": [{"const": {"k": [1, 2.5e3, "s"]}}, {"type": "boolean"}, {"type": "integer", '
        '"exclusiveMinimum": 0, "exclusiveMaximum": 10}]}')
    copy("gbnf", "Tests/Fixtures/grammar/json.gbnf")
    out("gbnf", "calls.gbnf",
        'root ::= call | answer\ncall ::= "{\\"tool\\": " name "}"\nname ::= "\\"" [a-z_]{1,20} "\\""\n'
        'answer ::= "{\\"answer\\": \\"" ( [^"\\\\\\x00-\\x1f] | "\\\\" [nt"] )+ "\\"}"  # comment\n')
    out("gbnf", "repeat.gbnf", 'root ::= ("a" | [b-d]? "e"{2,3} | [^\\n\\u00e9-\\U0001F600])* x\nx ::= "" | "z" x\n')
    replies = {
        "call.txt": '{"tool": "read_file", "arguments": {"path": "src/main.swift"}}',
        "numbers.txt": '{"tool": "calculator", "arguments": {"expression": "2 * (3 + 4)", "n": -1.5e3, "b": true}}',
        "answer.txt": '{"answer": "Fredville.\\nIt has \\"quotes\\", \\\\ and \\u00e9."}',
        "fenced.txt": 'Sure:\n```json\n{"name": "list_dir", "args": {"path": "."}}\n```\n',
        "string-args.txt": '{"tool": "edit_file", "arguments": "{\\"path\\": \\"a.txt\\", \\"new\\": [1, null]}"}',
        "qwen.txt": '<tool_call>\n{"name": "search_text", "arguments": {"pattern": "TODO"}}\n</tool_call>',
        "cut.txt": '{"tool": "read_file", "arguments": {"path": "a.t',
    }
    for name, text in replies.items():
        out("toolcall", name, text)
    # SSE: the first byte picks the chunk size the target also feeds the stream in.
    out("sse", "openai.bin", b"\x03" + b'data: {"choices":[{"delta":{"content":"Hi"}}]}\r\n\r\n'
        b': keep-alive\n\nevent: done\nid: 7\nretry: 100\ndata: [DONE]\n\n')
    out("sse", "multiline.bin", b"\x01\xef\xbb\xbfdata: a\ndata:b\r\rdata\n\nevent:x\ndata: \xc3\xa9\n\n")
    out("serve", "chat.json", '{"model": "m", "messages": [{"role": "system", "content": "Be brief."}, '
        '{"role": "user", "content": "Hi"}], "max_tokens": 1, "temperature": 0, "stop": ["\\n"]}')
    out("serve", "tools.json", '{"messages": [{"role": "user", "content": "2+2?"}], "tools": [{"type": "function", '
        '"function": {"name": "calc", "parameters": {"type": "object", "properties": {"e": {"type": "string"}}}}}], '
        '"tool_choice": "auto", "stream": true, "stream_options": {"include_usage": true}}')
    out("serve", "schema.json", '{"messages": [{"role": "user", "content": "x"}, {"role": "assistant", "content": '
        '"y"}, {"role": "user", "content": [{"type": "text", "text": "z"}]}], "response_format": {"type": '
        '"json_schema", "json_schema": {"name": "a", "schema": {"type": "object", "properties": {"k": {"type": '
        '"integer"}}, "required": ["k"]}}}, "top_p": 0.9, "seed": 3, "n": 1}')


if __name__ == "__main__":
    sys.exit(main())
