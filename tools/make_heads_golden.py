#!/usr/bin/python3
"""Golden head statistics (DESIGN §5) for the attention-head analysis.

Run from the repository root with Debian's interpreter (torch + numpy, nothing else):

    /usr/bin/python3 tools/make_heads_golden.py

It reads the committed tiny models golden/tiny-a and golden/tiny-sharp (written by make_golden.py),
draws a few token windows of assorted lengths for each (fixed seed), runs them through
make_golden.py's independent float64 forward and writes, under common/src/test/resources/golden/heads/:

  windows.json             model -> list of token windows (the input)
  expected_head_stats.csv  per (model, layer, head, metric, position bucket): count, mean, population
                           stddev, min, max of the per-query metrics at t >= 1 ("all" = every t >= 1)
  expected_mean_view.csv   per (model, layer, head): the write-token count n and the top 5 tokens of
                           E·(γ_f ⊙ S/n) + E·β_f, S = Σ result_h(t) over every window's t >= 1
  expected_pairs.csv       per (model, layer, head, query token, key token): how often k* =
                           argmax_{1<=k<=t} p_k paired them, and the summed p_{k*}; only for a model
                           whose best key beats the second by MIN_ARGMAX_GAP everywhere, far above
                           float32 rounding (tiny-sharp; tiny-a's near-uniform attention has near-ties)

The metrics, from the pattern p [H,T,T], result [T,H,D] and resid_pre x [T,D] of each window:
entropy −Σ_{k<=t} p_k ln p_k, sink p_0, self p_t, prev p_{t−1}, distance Σ_k p_k (t − k),
result_norm ‖result_h(t)‖, result_cos cos(result_h(t), x(t)).
"""

import json
import math
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_golden  # noqa: E402  (the reference forward and safetensors reader)

ROOT = make_golden.ROOT
OUT = os.path.join(ROOT, "heads")
METRICS = ["entropy", "sink", "self", "prev", "distance", "result_norm", "result_cos"]
# Window lengths per model: full blocks, odd lengths, and the shortest usable window (2 tokens).
LENGTHS = {"tiny-a": [32, 17, 2, 25, 32, 9, 30], "tiny-sharp": [24, 13, 2, 20, 7, 24]}
SEEDS = {"tiny-a": 21, "tiny-sharp": 22}
TOP = 5
# Smallest gap between the best and second-best key p_k (k >= 1) that the pair golden accepts.
MIN_ARGMAX_GAP = 1e-4


def bucket(t):
    """Position bucket label of DESIGN §4: 0, 1, 2-3, 4-7, ..."""
    if t < 2:
        return str(t)
    first = 1 << (t.bit_length() - 1)
    return f"{first}-{2 * first - 1}"


def load(name):
    folder = os.path.join(ROOT, name)
    with open(os.path.join(folder, "config.json")) as f:
        cfg = json.load(f)
    return cfg, make_golden.read_safetensors(os.path.join(folder, "model.safetensors"))


def window_heads(cfg, weights, tokens):
    """Per (layer, head): metric -> float64 [T−1] at t = 1..T−1, the write sum, and the (k*, p_k*) per t."""
    hooks = {name: t[0].numpy() for name, t in make_golden.forward(cfg, weights, tokens).items()}
    T = len(tokens)
    out = {}
    for l in range(cfg["n_layer"]):
        p = hooks[f"blocks.{l}.attn.hook_pattern"]         # [H, T, T]
        result = hooks[f"blocks.{l}.attn.hook_result"]     # [T, H, D]
        x = hooks[f"blocks.{l}.hook_resid_pre"]            # [T, D]
        for h in range(cfg["n_head"]):
            m = {name: [] for name in METRICS}
            pairs, gaps = [], []
            for t in range(1, T):
                row = p[h, t, :t + 1]
                nonzero = row[row > 0]
                m["entropy"].append(-(nonzero * np.log(nonzero)).sum())
                m["sink"].append(row[0])
                m["self"].append(row[t])
                m["prev"].append(row[t - 1])
                m["distance"].append((row * (t - np.arange(t + 1))).sum())
                r = result[t, h]
                m["result_norm"].append(np.linalg.norm(r))
                m["result_cos"].append(r @ x[t] / (np.linalg.norm(r) * np.linalg.norm(x[t])))
                keys = row[1:]
                order = np.argsort(-keys, kind="stable")
                k_star = int(order[0]) + 1
                gaps.append(keys[order[0]] - keys[order[1]] if len(keys) > 1 else 1.0)
                pairs.append((tokens[t], tokens[k_star], row[k_star]))
            out[(l, h)] = (m, result[1:, h].sum(0), pairs, min(gaps) if gaps else 1.0)
    return out


def main():
    os.makedirs(OUT, exist_ok=True)
    all_windows, stats_lines, view_lines, pair_lines = {}, [], [], []
    for name, lengths in LENGTHS.items():
        cfg, weights = load(name)
        g = torch.Generator().manual_seed(SEEDS[name])
        windows = [torch.randint(0, cfg["vocab_size"], (n,), generator=g).tolist() for n in lengths]
        all_windows[name] = windows
        values, sums, pairs = {}, {}, {}
        tokens_summed, smallest_gap = 0, 1.0
        for window in windows:
            tokens_summed += len(window) - 1
            for (l, h), (m, write, window_pairs, gap) in window_heads(cfg, weights, window).items():
                smallest_gap = min(smallest_gap, gap)
                sums[(l, h)] = sums.get((l, h), 0) + write
                for metric, per_query in m.items():
                    for t, v in enumerate(per_query, start=1):
                        values.setdefault((l, h, metric, bucket(t)), []).append(v)
                        values.setdefault((l, h, metric, "all"), []).append(v)
                for q, k, w in window_pairs:
                    count, mass = pairs.get((l, h, q, k), (0, 0.0))
                    pairs[(l, h, q, k)] = (count + 1, mass + w)
        for (l, h, metric, b), v in sorted(values.items(), key=lambda e: (e[0][0], e[0][1], METRICS.index(e[0][2]),
                                                                          e[0][3] == "all", len(e[0][3]), e[0][3])):
            v = np.array(v)
            stats_lines.append(f"{name},{l},{h},{metric},{b},{len(v)},{float(v.mean())!r},{float(v.std())!r},"
                               f"{float(v.min())!r},{float(v.max())!r}")

        emb = weights["wte.weight"].double().numpy()
        gain, bias = weights["ln_f.weight"].double().numpy(), weights["ln_f.bias"].double().numpy()
        for (l, h), s in sorted(sums.items()):
            scores = emb @ (gain * (s / tokens_summed) + bias)              # E·(γ_f ⊙ S/n) + E·β_f
            for rank, token in enumerate(np.argsort(-scores, kind="stable")[:TOP]):
                view_lines.append(f"{name},{l},{h},{tokens_summed},{rank},{int(token)},{float(scores[token])!r}")

        print(f"{name}: {len(windows)} windows, {tokens_summed} queries, {len(values)} stat keys, "
              f"smallest argmax gap {smallest_gap:.2e}")
        if smallest_gap >= MIN_ARGMAX_GAP:
            for (l, h, q, k), (count, mass) in sorted(pairs.items()):
                pair_lines.append(f"{name},{l},{h},{q},{k},{count},{float(mass)!r}")

    with open(os.path.join(OUT, "windows.json"), "w") as f:
        f.write("{\n" + ",\n".join(f"  {json.dumps(n)}: {json.dumps(w)}" for n, w in all_windows.items()) + "\n}\n")
    with open(os.path.join(OUT, "expected_head_stats.csv"), "w") as f:
        f.write("model,layer,head,metric,position_bucket,count,mean,stddev,min,max\n")
        f.write("\n".join(stats_lines) + "\n")
    with open(os.path.join(OUT, "expected_mean_view.csv"), "w") as f:
        f.write("model,layer,head,tokens,rank,token_id,score\n")
        f.write("\n".join(view_lines) + "\n")
    with open(os.path.join(OUT, "expected_pairs.csv"), "w") as f:
        f.write("model,layer,head,query_token_id,key_token_id,count,attention_mass\n")
        f.write("\n".join(pair_lines) + "\n")
    print(f"{len(stats_lines)} stat rows, {len(view_lines)} mean-view rows, {len(pair_lines)} pair rows")


if __name__ == "__main__":
    main()
