// Reference dumper for the synthetic-model fixtures (Tests/Fixtures/synthetic): like ref-dump.cpp, but greedy
// decoding runs the full N tokens even through end-of-generation tokens (random weights emit them at random),
// logits are printed with 9 significant digits (enough to round-trip a float), and each step's gap between the
// best and second-best logit is printed so a test can tell how robust an exact-token comparison is.
// Our own code against llama.cpp's public API; used only to produce committed test fixtures.
// Usage: ref-synth MODEL PROMPT_FILE N_TOKENS
#include "llama.h"
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

int main(int argc, char ** argv) {
    if (argc < 4) { fprintf(stderr, "usage: %s MODEL PROMPT_FILE N\n", argv[0]); return 2; }
    std::ifstream in(argv[2]); std::stringstream ss; ss << in.rdbuf(); std::string prompt = ss.str();
    const int n_gen = atoi(argv[3]);
    llama_log_set([](enum ggml_log_level, const char *, void *) {}, nullptr);
    llama_backend_init();
    llama_model_params mp = llama_model_default_params();
    llama_model * model = llama_model_load_from_file(argv[1], mp);
    if (!model) { fprintf(stderr, "load failed\n"); return 1; }
    const llama_vocab * vocab = llama_model_get_vocab(model);
    llama_context_params cp = llama_context_default_params();
    cp.n_ctx = 512; cp.n_batch = 512; cp.n_ubatch = 512; cp.n_threads = 2; cp.n_threads_batch = 2;
    // F16 K/V cache (the default), flash attention off: the classic KQ → softmax → KQV path.
    cp.flash_attn_type = LLAMA_FLASH_ATTN_TYPE_DISABLED;
    llama_context * ctx = llama_init_from_model(model, cp);
    if (!ctx) { fprintf(stderr, "context failed\n"); return 1; }
    std::vector<llama_token> toks(prompt.size() + 16);
    int n = llama_tokenize(vocab, prompt.c_str(), (int)prompt.size(), toks.data(), (int)toks.size(), true, true);
    if (n < 0) { fprintf(stderr, "tokenize failed\n"); return 1; }
    toks.resize(n);
    const int n_vocab = llama_vocab_n_tokens(vocab);
    std::vector<float> first_logits;
    std::vector<int> generated;
    std::vector<float> margins;
    llama_batch batch = llama_batch_get_one(toks.data(), n);
    llama_token cur;
    for (int i = 0; i < n_gen; i++) {
        if (llama_decode(ctx, batch) != 0) { fprintf(stderr, "decode failed\n"); return 1; }
        const float * logits = llama_get_logits_ith(ctx, -1);
        if (i == 0) first_logits.assign(logits, logits + n_vocab);
        int best = 0;
        for (int v = 1; v < n_vocab; v++) if (logits[v] > logits[best]) best = v;
        float second = -1e30f;
        for (int v = 0; v < n_vocab; v++) if (v != best && logits[v] > second) second = logits[v];
        generated.push_back(best);
        margins.push_back(logits[best] - second);
        cur = best;
        batch = llama_batch_get_one(&cur, 1);
    }
    printf("{\"prompt_ids\":[");
    for (int i = 0; i < n; i++) printf("%s%d", i ? "," : "", toks[i]);
    printf("],\n\"generated_ids\":[");
    for (size_t i = 0; i < generated.size(); i++) printf("%s%d", i ? "," : "", generated[i]);
    printf("],\n\"greedy_margins\":[");
    for (size_t i = 0; i < margins.size(); i++) printf("%s%.4g", i ? "," : "", margins[i]);
    printf("],\n\"first_logits\":[");
    for (int v = 0; v < n_vocab; v++) printf("%s%.9g", v ? "," : "", first_logits[v]);
    printf("]}\n");
    llama_free(ctx); llama_model_free(model);
    return 0;
}
