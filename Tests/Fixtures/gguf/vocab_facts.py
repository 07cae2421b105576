# Writes vocab-facts.json: what gguf-py's GGUFReader (gguf==0.19.0) sees in each of llama.cpp's vocabulary-only
# GGUF files (metadata keys in order, tensor count, token count, tokenizer model). GGUFReader takes minutes on
# these files, so the facts are committed instead of recomputed by every test run.
# Usage: python3 vocab_facts.py <llama.cpp>/models > vocab-facts.json
import glob, json, os, sys
import gguf

facts = {}
for path in sorted(glob.glob(os.path.join(sys.argv[1], "*.gguf"))):
    r = gguf.GGUFReader(path)
    tokens = r.fields.get("tokenizer.ggml.tokens")
    model = r.fields.get("tokenizer.ggml.model")
    facts[os.path.basename(path)] = {
        "keys": [k for k in r.fields if not k.startswith("GGUF.")],
        "tensors": len(r.tensors),
        "tokens": len(tokens.data) if tokens else 0,
        "model": model.contents() if model else "",
    }
print(json.dumps(facts, indent=1, ensure_ascii=False))
