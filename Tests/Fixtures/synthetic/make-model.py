#!/usr/bin/env python3
"""Writes a tiny, deterministic, random-weight GGUF model for forward-pass tests against llama.cpp.

Usage: make-model.py ARCH WEIGHT_TYPE OUT.gguf [--tied] [--rope-freqs]
       make-model.py --batch SPEC_FILE OUT_DIR
           writes OUT_DIR/NAME.gguf for each "NAME ARCH TYPE [--tied] [--rope-freqs]" line of SPEC_FILE (one
           process for all, as importing numpy and gguf takes most of the time) and prints "NAME SHA256" lines.

ARCH is llama (adjacent-pair RoPE) or qwen2 (half-split RoPE, Q/K/V biases). WEIGHT_TYPE is F32, F16, BF16,
Q8_0, Q4_0 or Q4_1: every matrix (token embedding and output head included) is stored in it; norms, biases and
rope_freqs stay F32, as llama.cpp's converter and quantizer keep them. The file depends only on the arguments,
numpy's PCG64 stream (seed 20240917) and gguf-py's writer/quantizer (gguf==0.19.0), so its SHA-256 is recorded
with the references and checked by the tests. "mistral" is not offered: llama.cpp has no such architecture
(Mistral GGUFs say "llama"), so there would be no reference to compare with.

Shapes: 4 layers, embedding 128, 4 query heads and 2 KV heads (GQA) of 32, FFN 256, context 512, RoPE base
10000, RMS epsilon 1e-5. Vocabulary: GPT-2 byte-level BPE (256 byte tokens + a few merges + <|endoftext|>,
<|im_start|>, <|im_end|> as control tokens) with a ChatML template.
"""
import hashlib
import sys

import numpy as np
import gguf
from gguf import GGMLQuantizationType as Q

SEED = 20240917
LAYERS, EMBED, HEADS, KV_HEADS, HEAD_DIM, FFN, CONTEXT = 4, 128, 4, 2, 32, 256, 512
ROPE_BASE, RMS_EPS = 10000.0, 1e-5

TYPES = {"F32": Q.F32, "F16": Q.F16, "BF16": Q.BF16, "Q8_0": Q.Q8_0, "Q4_0": Q.Q4_0, "Q4_1": Q.Q4_1}
# llama.cpp's LLAMA_FTYPE_* for general.file_type (informational only).
FILE_TYPES = {"F32": 0, "F16": 1, "BF16": 32, "Q8_0": 7, "Q4_0": 2, "Q4_1": 3}
ARCHS = ("llama", "qwen2")

# Merges of a toy BPE over GPT-2's byte alphabet ("Ġ" is the space byte); each result becomes a token.
MERGES = [
    "Ġ t", "h e", "i n", "e r", "a n", "o n", "Ġ a", "r e", "Ġt he", "Ġ s", "e n", "a t", "o u", "Ġ w",
    "i s", "Ġ c", "i t", "o r", "Ġ o", "in g", "Ġ f", "Ġ b", "e s", "Ġ p", "l l", "Ġ i", "e d", "Ġ m",
    "Ġt h", "Ġa n", "Ġan d", "Ġ h", "Ġo f",
]
SPECIALS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
CHAT_TEMPLATE = (
    "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + "
    "'<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}"
)


def byte_alphabet():
    """GPT-2's bytes_to_unicode: printable bytes map to themselves, the rest to U+0100 upwards."""
    keep = list(range(ord("!"), ord("~") + 1)) + list(range(0xA1, 0xAC + 1)) + list(range(0xAE, 0xFF + 1))
    chars, extra = {}, 0
    for b in range(256):
        if b in keep:
            chars[b] = chr(b)
        else:
            chars[b] = chr(256 + extra)
            extra += 1
    return [chars[b] for b in range(256)]


def vocabulary():
    tokens = byte_alphabet()
    known = set(tokens)
    for m in MERGES:
        left, right = m.split(" ")
        if left not in known or right not in known or left + right in known:
            raise SystemExit(f"make-model.py: bad merge {m!r}")
        tokens.append(left + right)
        known.add(left + right)
    types = [int(gguf.TokenType.NORMAL)] * len(tokens)
    tokens += SPECIALS
    types += [int(gguf.TokenType.CONTROL)] * len(SPECIALS)
    return tokens, types


def llama3_rope_factors():
    """Llama 3.1's per-pair frequency divisors (factor 8, low/high 1/4) with an original context of 256, so
    that with head size 32 some pairs keep 1, some get 8 and some fall in the smooth band between."""
    factor, low, high, old_context = 8.0, 1.0, 4.0, 256.0
    freqs = ROPE_BASE ** -(np.arange(0, HEAD_DIM, 2, dtype=np.float64) / HEAD_DIM)
    out = []
    for f in freqs:
        wavelength = 2 * np.pi / f
        if wavelength < old_context / high:
            out.append(1.0)
        elif wavelength > old_context / low:
            out.append(factor)
        else:
            smooth = (old_context / wavelength - low) / (high - low)
            out.append(1.0 / ((1 - smooth) / factor + smooth))
    return np.array(out, dtype=np.float32)


def write_model(arch, type_name, out, tied, rope_freqs):
    if arch not in ARCHS:
        raise SystemExit(f"make-model.py: ARCH must be one of {', '.join(ARCHS)}, not {arch!r}")
    if type_name not in TYPES:
        raise SystemExit(f"make-model.py: WEIGHT_TYPE must be one of {', '.join(TYPES)}, not {type_name!r}")
    if rope_freqs and arch != "llama":
        raise SystemExit("make-model.py: --rope-freqs is a llama feature (llama.cpp's qwen2 has no rope_freqs)")
    qtype = TYPES[type_name]
    rng = np.random.Generator(np.random.PCG64(SEED))
    tokens, types = vocabulary()
    vocab = len(tokens)

    def normal(shape, scale):
        return (rng.standard_normal(shape, dtype=np.float32) * np.float32(scale)).astype(np.float32)

    w = gguf.GGUFWriter(out, arch)
    w.add_name(f"synthetic-{arch}-{type_name.lower()}")
    w.add_file_type(FILE_TYPES[type_name])
    w.add_vocab_size(vocab)
    w.add_context_length(CONTEXT)
    w.add_embedding_length(EMBED)
    w.add_block_count(LAYERS)
    w.add_feed_forward_length(FFN)
    w.add_head_count(HEADS)
    w.add_head_count_kv(KV_HEADS)
    w.add_rope_dimension_count(HEAD_DIM)
    w.add_rope_freq_base(ROPE_BASE)
    w.add_layer_norm_rms_eps(RMS_EPS)
    w.add_tokenizer_model("gpt2")
    w.add_tokenizer_pre("gpt-2" if arch == "llama" else "qwen2")
    w.add_token_list(tokens)
    w.add_token_types(types)
    w.add_token_merges(MERGES)
    w.add_bos_token_id(tokens.index("<|endoftext|>"))
    w.add_eos_token_id(tokens.index("<|im_end|>"))
    w.add_add_bos_token(arch == "llama")
    w.add_chat_template(CHAT_TEMPLATE)

    def matrix(name, rows, cols, scale):
        data = normal((rows, cols), scale)
        if qtype == Q.F32:
            w.add_tensor(name, data)
        else:
            w.add_tensor(name, gguf.quants.quantize(data, qtype), raw_dtype=qtype)

    def vector(name, data):
        w.add_tensor(name, np.ascontiguousarray(data, dtype=np.float32))

    # Scales: normed activations are O(1) per element, so a weight std of 0.15 (≈ 1.7/sqrt(128)) makes
    # projections O(1-2) and attention scores a few units (peaked, not one-hot). Embeddings of std 1 keep the
    # current token visible in the residual stream and give logits of std ~10 (range about ±35). Smaller
    # scales (0.3 / 0.08) were tried and made greedy decoding repeat one token, which tests little.
    matrix("token_embd.weight", vocab, EMBED, 1.0)
    vector("output_norm.weight", 1 + normal((EMBED,), 0.1))
    if not tied:
        matrix("output.weight", vocab, EMBED, 1.0)
    if rope_freqs:
        vector("rope_freqs.weight", llama3_rope_factors())
    for i in range(LAYERS):
        p = f"blk.{i}."
        vector(p + "attn_norm.weight", 1 + normal((EMBED,), 0.1))
        matrix(p + "attn_q.weight", HEADS * HEAD_DIM, EMBED, 0.15)
        matrix(p + "attn_k.weight", KV_HEADS * HEAD_DIM, EMBED, 0.15)
        matrix(p + "attn_v.weight", KV_HEADS * HEAD_DIM, EMBED, 0.15)
        if arch == "qwen2":
            vector(p + "attn_q.bias", normal((HEADS * HEAD_DIM,), 0.1))
            vector(p + "attn_k.bias", normal((KV_HEADS * HEAD_DIM,), 0.1))
            vector(p + "attn_v.bias", normal((KV_HEADS * HEAD_DIM,), 0.1))
        matrix(p + "attn_output.weight", EMBED, HEADS * HEAD_DIM, 0.15)
        vector(p + "ffn_norm.weight", 1 + normal((EMBED,), 0.1))
        matrix(p + "ffn_gate.weight", FFN, EMBED, 0.15)
        matrix(p + "ffn_up.weight", FFN, EMBED, 0.15)
        matrix(p + "ffn_down.weight", EMBED, FFN, 0.1)

    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()


def parse(args):
    flags = {a for a in args if a.startswith("--")}
    unknown = flags - {"--tied", "--rope-freqs"}
    positional = [a for a in args if not a.startswith("--")]
    if unknown or len(positional) != 3:
        raise SystemExit(__doc__)
    arch, type_name, out = positional
    return arch, type_name, out, "--tied" in flags, "--rope-freqs" in flags


def main(argv):
    if len(argv) == 3 and argv[0] == "--batch":
        with open(argv[1], encoding="utf-8") as spec:
            for line in spec:
                fields = line.split()
                if not fields or fields[0].startswith("#"):
                    continue
                name, rest = fields[0], fields[1:]
                positional = [a for a in rest if not a.startswith("--")]
                flags = [a for a in rest if a.startswith("--")]
                arch, type_name, out, tied, freqs = parse(positional + [f"{argv[2]}/{name}.gguf"] + flags)
                write_model(arch, type_name, out, tied, freqs)
                with open(out, "rb") as f:
                    print(name, hashlib.sha256(f.read()).hexdigest(), flush=True)
        return
    write_model(*parse(argv))


if __name__ == "__main__":
    main(sys.argv[1:])
