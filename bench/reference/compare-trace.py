#!/usr/bin/env python3
"""Compares a llama.cpp trace (ref-trace OUTDIR/step-S) with Tokenworks' (TOKENWORKS_TRACE_DIR/step-S) tensor by
tensor in forward order and reports how many values differ, so the first diverging operation stands out.
Rows: llama.cpp keeps only the output row after the last layer's attention; the comparison then takes our last
rows. Usage: compare-trace.py LLAMA_STEP_DIR OURS_STEP_DIR [LAYERS]"""
import os
import sys

import numpy as np

ref, ours = sys.argv[1], sys.argv[2]
layers = int(sys.argv[3]) if len(sys.argv) > 3 else 30
names = ['embd@GET_ROWS']
for l in range(layers):
    names += [f'{n}-{l}@{op}' for n, op in [
        ('attn_norm', 'MUL'), ('Qcur', 'MUL_MAT'), ('Kcur', 'MUL_MAT'), ('Vcur', 'MUL_MAT'), ('Qcur', 'ROPE'),
        ('Kcur', 'ROPE'), ('kqv_out', 'CONT'), ('attn_out', 'MUL_MAT'), ('ffn_inp', 'ADD'), ('ffn_norm', 'MUL'),
        ('ffn_gate', 'MUL_MAT'), ('ffn_up', 'MUL_MAT'), ('ffn_swiglu', 'SWIGLU'), ('ffn_out', 'MUL_MAT'),
        ('l_out', 'ADD')]]
names += ['result_norm@MUL', 'result_output@MUL_MAT']
first = None
for n in names:
    pr, po = os.path.join(ref, n + '.f32'), os.path.join(ours, n + '.f32')
    if not (os.path.exists(pr) and os.path.exists(po)):
        print(f'{n:28s} missing')
        continue
    a, b = np.fromfile(pr, np.float32), np.fromfile(po, np.float32)
    b = b[-a.size:]
    d = np.abs(a - b)
    differ = int((a != b).sum())
    print(f'{n:28s} {a.size:8d} values, {differ:8d} differ, max |d| {d.max():.3e}')
    if differ and first is None:
        first = n
print('first difference:', first or 'none')
