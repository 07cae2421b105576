// Reference dumper: runs llama.cpp (built from the llama-cpp-python sdist by bench/setup-llama.sh) on a prompt
// and prints, as JSON, the prompt's token ids, the first 64 greedy tokens and the first-step logits. Our own
// code against llama.cpp's public API; used only to produce committed test fixtures.
// Usage: ref-dump MODEL PROMPT_FILE N_TOKENS [--logits]
#include "llama.h"
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

int main(int argc, char ** argv) {
    if (argc < 4) { fprintf(stderr, "usage: %s MODEL PROMPT_FILE N [--logits]\n", argv[0]); return 2; }
    const bool dump_logits = argc > 4 && strcmp(argv[4], "--logits") == 0;
    std::ifstream in(argv[2]); std::stringstream ss; ss << in.rdbuf(); std::string prompt = ss.str();
    const int n_gen = atoi(argv[3]);
    llama_log_set([](enum ggml_log_level, const char *, void *) {}, nullptr);
    llama_backend_init();
    llama_model_params mp = llama_model_default_params();
    llama_model * model = llama_model_load_from_file(argv[1], mp);
    if (!model) { fprintf(stderr, "load failed\n"); return 1; }
    const llama_vocab * vocab = llama_model_get_vocab(model);
    llama_context_params cp = llama_context_default_params();
    cp.n_ctx = 4096; cp.n_batch = 4096; cp.n_ubatch = 512; cp.n_threads = 2; cp.n_threads_batch = 2;
    // F16 K/V cache (the default), flash attention off: the classic KQ → softmax → KQV path.
    cp.flash_attn_type = LLAMA_FLASH_ATTN_TYPE_DISABLED;
    llama_context * ctx = llama_init_from_model(model, cp);
    std::vector<llama_token> toks(prompt.size() + 16);
    int n = llama_tokenize(vocab, prompt.c_str(), (int)prompt.size(), toks.data(), (int)toks.size(), true, true);
    if (n < 0) { fprintf(stderr, "tokenize failed\n"); return 1; }
    toks.resize(n);
    printf("{\"prompt_ids\":[");
    for (int i = 0; i < n; i++) printf("%s%d", i ? "," : "", toks[i]);
    printf("],\"generated_ids\":[");
    llama_batch batch = llama_batch_get_one(toks.data(), n);
    const int n_vocab = llama_vocab_n_tokens(vocab);
    std::vector<float> first_logits;
    llama_token cur;
    for (int i = 0; i < n_gen; i++) {
        if (llama_decode(ctx, batch) != 0) { fprintf(stderr, "decode failed\n"); return 1; }
        float * logits = llama_get_logits_ith(ctx, -1);
        if (i == 0) first_logits.assign(logits, logits + n_vocab);
        int best = 0; for (int v = 1; v < n_vocab; v++) if (logits[v] > logits[best]) best = v;
        cur = best;
        printf("%s%d", i ? "," : "", cur);
        if (llama_vocab_is_eog(vocab, cur)) break;
        batch = llama_batch_get_one(&cur, 1);
    }
    printf("]");
    if (dump_logits) {
        printf(",\"first_logits\":[");
        for (int v = 0; v < n_vocab; v++) printf("%s%.6g", v ? "," : "", first_logits[v]);
        printf("]");
    }
    printf("}\n");
    llama_free(ctx); llama_model_free(model);
    return 0;
}
