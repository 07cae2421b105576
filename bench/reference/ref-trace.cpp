// Parity tracer: runs llama.cpp exactly as ref-dump does (F16 KV cache, flash attention off, 2 threads) with an
// eval callback that writes every computed graph tensor as raw f32 (logical order, ne0 fastest) to
// OUTDIR/step-S/NAME@OP.f32 (S = decode call, 0 = the prompt), plus index.txt with shapes and logits.f32.
// Compare with Tokenworks' own dump (TOKENWORKS_TRACE_DIR=DIR, see Inference/Model/ForwardTracer.swift) using
// compare-trace.py to find the first operation whose output differs. Our code against llama.cpp's public API.
// Build like ref-dump (bench/setup-llama.sh). Usage: ref-trace MODEL PROMPT_FILE N_STEPS OUTDIR
#include "llama.h"
#include "ggml.h"
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>
#include <sys/stat.h>

static std::string g_dir;
static int g_step = 0;
static FILE * g_index = nullptr;

static float get(const ggml_tensor * t, int64_t i0, int64_t i1, int64_t i2, int64_t i3) {
    const char * p = (const char *) t->data + i0*t->nb[0] + i1*t->nb[1] + i2*t->nb[2] + i3*t->nb[3];
    switch (t->type) {
        case GGML_TYPE_F32: return *(const float *) p;
        case GGML_TYPE_F16: return ggml_fp16_to_fp32(*(const ggml_fp16_t *) p);
        case GGML_TYPE_I32: return (float) *(const int32_t *) p;
        default: return 0;
    }
}

static bool cb(ggml_tensor * t, bool ask, void *) {
    if (ask) return true;
    if (t->type != GGML_TYPE_F32 && t->type != GGML_TYPE_F16 && t->type != GGML_TYPE_I32) return true;
    if (!t->data) return true;
    if (t->op == GGML_OP_VIEW || t->op == GGML_OP_PERMUTE || t->op == GGML_OP_RESHAPE || t->op == GGML_OP_SET_ROWS) return true;
    std::string name = ggml_get_name(t);
    name += std::string("@") + ggml_op_desc(t);
    for (auto & c : name) if (c == '/' || c == ' ' || c == '(' || c == ')') c = '_';
    std::vector<float> v; v.reserve(ggml_nelements(t));
    for (int64_t i3 = 0; i3 < t->ne[3]; i3++) for (int64_t i2 = 0; i2 < t->ne[2]; i2++)
    for (int64_t i1 = 0; i1 < t->ne[1]; i1++) for (int64_t i0 = 0; i0 < t->ne[0]; i0++) v.push_back(get(t, i0, i1, i2, i3));
    std::string path = g_dir + "/step-" + std::to_string(g_step) + "/" + name + ".f32";
    FILE * f = fopen(path.c_str(), "wb"); fwrite(v.data(), 4, v.size(), f); fclose(f);
    fprintf(g_index, "%s %s %s %lld %lld %lld %lld\n", name.c_str(), ggml_type_name(t->type), ggml_op_desc(t),
            (long long) t->ne[0], (long long) t->ne[1], (long long) t->ne[2], (long long) t->ne[3]);
    return true;
}

int main(int argc, char ** argv) {
    if (argc < 5) { fprintf(stderr, "usage: %s MODEL PROMPT_FILE N OUTDIR\n", argv[0]); return 2; }
    std::ifstream in(argv[2]); std::stringstream ss; ss << in.rdbuf(); std::string prompt = ss.str();
    const int n_gen = atoi(argv[3]);
    g_dir = argv[4]; mkdir(g_dir.c_str(), 0755);
    llama_log_set([](enum ggml_log_level, const char *, void *) {}, nullptr);
    llama_backend_init();
    llama_model_params mp = llama_model_default_params();
    llama_model * model = llama_model_load_from_file(argv[1], mp);
    const llama_vocab * vocab = llama_model_get_vocab(model);
    llama_context_params cp = llama_context_default_params();
    cp.n_ctx = 4096; cp.n_batch = 4096; cp.n_ubatch = 512; cp.n_threads = 2; cp.n_threads_batch = 2;
    cp.flash_attn_type = LLAMA_FLASH_ATTN_TYPE_DISABLED;
    cp.cb_eval = cb; cp.cb_eval_user_data = nullptr;
    llama_context * ctx = llama_init_from_model(model, cp);
    std::vector<llama_token> toks(prompt.size() + 16);
    int n = llama_tokenize(vocab, prompt.c_str(), (int)prompt.size(), toks.data(), (int)toks.size(), true, true);
    toks.resize(n);
    llama_batch batch = llama_batch_get_one(toks.data(), n);
    const int n_vocab = llama_vocab_n_tokens(vocab);
    llama_token cur;
    for (int i = 0; i < n_gen; i++) {
        g_step = i;
        std::string d = g_dir + "/step-" + std::to_string(i); mkdir(d.c_str(), 0755);
        g_index = fopen((d + "/index.txt").c_str(), "w");
        if (llama_decode(ctx, batch) != 0) { fprintf(stderr, "decode failed\n"); return 1; }
        fclose(g_index);
        float * logits = llama_get_logits_ith(ctx, -1);
        FILE * f = fopen((d + "/logits.f32").c_str(), "wb"); fwrite(logits, 4, n_vocab, f); fclose(f);
        int best = 0; for (int v = 1; v < n_vocab; v++) if (logits[v] > logits[best]) best = v;
        cur = best;
        printf("%d\n", cur);
        batch = llama_batch_get_one(&cur, 1);
    }
    llama_free(ctx); llama_model_free(model);
    return 0;
}
