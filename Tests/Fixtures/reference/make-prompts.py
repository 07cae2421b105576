# Renders the reference chat prompts with the default model's own chat template, the way Hugging Face does
# (jinja2, trim_blocks, lstrip_blocks), into prompt-*.txt. Run: python3 make-prompts.py MODEL.gguf
import json, sys
from gguf import GGUFReader
from jinja2.sandbox import ImmutableSandboxedEnvironment

reader = GGUFReader(sys.argv[1])
template = reader.fields["tokenizer.chat_template"].contents()
env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True)
tmpl = env.from_string(template)
conversations = {
    "capital": [{"role": "user", "content": "What is the capital of France?"}],
    "haiku": [{"role": "user", "content": "Write a haiku about the sea."}],
    "hashmap": [{"role": "system", "content": "You are a concise programming tutor."},
                {"role": "user", "content": "Explain what a hash map is in two sentences."}],
    "code": [{"role": "user", "content": "Write a Python function that reverses a string."}],
    "multiturn": [{"role": "system", "content": "You are a helpful assistant."},
                  {"role": "user", "content": "My name is Ada. Remember it."},
                  {"role": "assistant", "content": "Nice to meet you, Ada! I will remember your name."},
                  {"role": "user", "content": "What is my name, and what is 12 times 12?"}],
    "unicode": [{"role": "user", "content": "Translate 'good morning' into French, Japanese (日本語) and add an emoji 🌞."}],
}
for name, messages in conversations.items():
    text = tmpl.render(messages=messages, add_generation_prompt=True, bos_token="", eos_token="")
    with open(f"prompt-{name}.txt", "w") as f:
        f.write(text)
    with open(f"prompt-{name}.json", "w") as f:
        json.dump(messages, f, ensure_ascii=False, indent=1)
