#!/usr/bin/python3
"""Golden values for the static weight probes and word trajectories (DESIGN §6, the probes issue).

Run from the repository root with Debian's interpreter (torch + numpy, nothing else), after
tools/make_golden.py has written the tiny models:

    /usr/bin/python3 tools/make_probe_golden.py

For each tiny model (golden/tiny-a, golden/tiny-sharp) it writes golden/probes/<name>.json with every
probe table computed here in float64, independently of the Java code: straight from the formulas,
with a full D×D SVD where the Java side factors W = A·Bᵀ, and PCA by an SVD of the centered rows
where the Java side takes eigenvectors of the covariance. Token lists break ties by the lower token
id. The script refuses to write a fixture whose rankings hinge on a near-tie, so equal token lists
are a fair test.

Layout of <name>.json: "top_k", "nouns" (token ids), "blocks", "phrases" (token id lists), then one
entry per table: "embedding_norms" (columns as arrays over the vocabulary), "embedding_ln_distance",
"probe_qk", "probe_vo", "head_svd", "bias_probe", "trajectories" (lists of row objects with the
tables' column names; token ids only, the tiny vocabularies have no text), and "pca_variances", the
eigenvalues of the three principal axes of LN(E).
"""

import json
import math
import os

import numpy as np
import torch

from make_golden import ROOT, forward, read_safetensors

EPS = 1e-5
TOP_K = 5
SVD_RANKS = 20
# The near-tie guards: a ranking boundary closer than this (relative) would make the fixture fragile.
MIN_GAP_F64 = 1e-9      # quantities the Java side computes in float64
MIN_GAP_F32 = 1e-5      # trajectory probabilities, which go through the float32 forward (error ≈ 1e-7 here)
FIXTURES = {
    "tiny-a": {"nouns": [0, 7, 31, 64, 95], "phrases": [[5, 17, 42, 8, 60, 33], [90, 1, 2, 3]]},
    "tiny-sharp": {"nouns": [2, 19, 55, 79], "phrases": [[7, 70, 12, 45, 3], [0, 79, 40]]},
}


def load(name):
    folder = os.path.join(ROOT, name)
    with open(os.path.join(folder, "config.json")) as f:
        cfg = json.load(f)
    weights = {k: t.double().numpy() for k, t in read_safetensors(os.path.join(folder, "model.safetensors")).items()}
    return cfg, weights


# ---------------------------------------------------------------- selections with the tie rule

def order(scores, descending=True):
    """Token ids sorted by score (descending or ascending), equal scores by lower id."""
    ids = np.arange(len(scores))
    keys = -scores if descending else scores
    return np.lexsort((ids, keys))


def top(scores, k, descending=True, min_gap=MIN_GAP_F64):
    """The first k ids of order(); asserts that no boundary inside the first k+1 is a near-tie."""
    ranked = order(scores, descending)
    head = scores[ranked[:k + 1]]
    scale = max(1e-12, float(np.abs(scores).max()))
    gaps = np.abs(np.diff(head)) / scale
    assert gaps.size == 0 or gaps.min() > min_gap, f"near-tie in a top-{k} list: relative gap {gaps.min():.2e}"
    return [int(i) for i in ranked[:k]]


# ---------------------------------------------------------------- the probes

def layer_norm(x, gain=None, bias=None):
    """LN over the last axis, ε inside the sqrt (DESIGN §2); no affine when gain is None."""
    centered = x - x.mean(-1, keepdims=True)
    normalized = centered / np.sqrt((centered ** 2).mean(-1, keepdims=True) + EPS)
    return normalized if gain is None else normalized * gain + bias


def head_weights(cfg, w, b, h):
    d, n_head = cfg["n_embd"], cfg["n_head"]
    dh = d // n_head
    attn, bias, proj = w[f"h.{b}.attn.c_attn.weight"], w[f"h.{b}.attn.c_attn.bias"], w[f"h.{b}.attn.c_proj.weight"]
    cols = slice(h * dh, (h + 1) * dh)
    return {
        "W_Q": attn[:, 0:d][:, cols], "W_K": attn[:, d:2 * d][:, cols], "W_V": attn[:, 2 * d:3 * d][:, cols],
        "W_O": proj[cols, :], "b_Q": bias[0:d][cols], "b_K": bias[d:2 * d][cols], "b_V": bias[2 * d:3 * d][cols],
        "dh": dh,
    }


def ln1(w, b, x):
    return layer_norm(x, w[f"h.{b}.ln_1.weight"], w[f"h.{b}.ln_1.bias"])


def probed_heads(cfg, w, blocks):
    """Each probed (block, head), with LN1_b(E) (the tokens as the block's heads read them) and the head's weights."""
    e = w["wte.weight"]
    for b in blocks:
        normed = ln1(w, b, e)
        for h in range(cfg["n_head"]):
            yield b, h, normed, head_weights(cfg, w, b, h)


def embedding_norms(w):
    e, gain, bias = w["wte.weight"], w["ln_f.weight"], w["ln_f.bias"]
    cols = {"norm": np.linalg.norm(e, axis=1), "scaled_norm": np.linalg.norm(e * gain, axis=1), "bias_score": e @ bias}
    cols["norm_plus_bias"] = cols["norm"] + cols["bias_score"]
    cols["scaled_norm_plus_bias"] = cols["scaled_norm"] + cols["bias_score"]
    for score in ("norm", "scaled_norm", "norm_plus_bias", "scaled_norm_plus_bias"):
        values = cols[score]
        ranked = order(values)
        sorted_values = values[ranked]
        gaps = np.abs(np.diff(sorted_values)) / np.abs(values).max()
        assert gaps.min() > MIN_GAP_F64, f"near-tie in the {score} ranking"
        ranks = np.empty(len(values), dtype=int)
        ranks[ranked] = np.arange(len(values))
        cols["rank_" + score] = ranks
    return {k: [float(x) if k.startswith(("norm", "scaled", "bias")) else int(x) for x in v] for k, v in cols.items()}


def embedding_ln_distance(w):
    e = w["wte.weight"]
    d = e.shape[1]
    target = layer_norm(e)
    centered = e - e.mean(0)
    settings = {
        "original": e,
        "centered": centered,
        "scaled": e * math.sqrt(d) / np.linalg.norm(e, axis=1).mean(),
        "centered_scaled": centered * math.sqrt(d) / np.linalg.norm(centered, axis=1).mean(),
    }
    rows = []
    for name, x in settings.items():
        l2 = np.linalg.norm(x - target, axis=1)
        cos = 1 - (x * target).sum(1) / (np.linalg.norm(x, axis=1) * np.linalg.norm(target, axis=1))
        rows.append({"setting": name, "l2_mean": float(l2.mean()), "l2_std": float(l2.std()),
                     "cos_mean": float(cos.mean()), "cos_std": float(cos.std())})
    return rows


def probe_qk(cfg, w, blocks, nouns):
    rows = []
    for b, h, keys, hw in probed_heads(cfg, w, blocks):
        w_qk = hw["W_Q"] @ hw["W_K"].T / math.sqrt(hw["dh"])
        for noun in nouns:
            scores = (keys[noun] @ w_qk) @ keys.T
            for rank, key in enumerate(top(scores, TOP_K)):
                rows.append({"block": b, "head": h, "query_token_id": noun, "rank": rank,
                             "key_token_id": key, "score": float(scores[key])})
    return rows


def probe_vo(cfg, w, blocks, nouns):
    rows = []
    e = w["wte.weight"]
    for b in blocks:
        attended = ln1(w, b, e)
        updates = {}
        for h in range(cfg["n_head"]):
            hw = head_weights(cfg, w, b, h)
            w_vo = hw["W_V"] @ hw["W_O"]
            updates[h] = {noun: attended[noun] @ w_vo + hw["b_V"] @ hw["W_O"] for noun in nouns}
        updates[-1] = {noun: sum(updates[h][noun] for h in range(cfg["n_head"])) for noun in nouns}
        for h in list(range(cfg["n_head"])) + [-1]:
            for noun in nouns:
                update = updates[h][noun]
                value = layer_norm(e[noun] + update + w[f"h.{b}.attn.c_proj.bias"], w["ln_f.weight"], w["ln_f.bias"])
                scores = e @ value
                for rank, token in enumerate(top(scores, TOP_K)):
                    rows.append({"block": b, "head": h, "key_token_id": noun, "rank": rank, "value_token_id": token,
                                 "score": float(scores[token]), "update_norm": float(np.linalg.norm(update))})
    return rows


def head_svd(cfg, w, blocks):
    rows = []
    e = w["wte.weight"]
    for b, h, normed, hw in probed_heads(cfg, w, blocks):
        matrices = {"QK": (hw["W_Q"] @ hw["W_K"].T / math.sqrt(hw["dh"]), normed, normed),
                    "VO": (hw["W_V"] @ hw["W_O"], normed, e)}
        for name, (matrix, left_ref, right_ref) in matrices.items():
            u, s, vt = np.linalg.svd(matrix)                     # the full D×D decomposition
            n = min(SVD_RANKS, hw["dh"])
            rel = np.abs(np.diff(s[:n + 1])) / s[0]
            assert rel.min() > 1e-6, f"degenerate singular values in block {b} head {h} {name}"
            for i in range(n):
                left, right = u[:, i] * s[i], vt[i]
                right_scores = right_ref @ right
                if right_scores.max() < -right_scores.min():     # the sign rule
                    left, right, right_scores = -left, -right, -right_scores
                rows.append({"block": b, "head": h, "matrix": name, "rank": i, "singular_value": float(s[i]),
                             "left_token_ids": top(left_ref @ left, TOP_K),
                             "right_token_ids": top(right_scores, TOP_K)})
    return rows


def bias_probe(cfg, w, blocks):
    rows = []
    for b, h, tokens, hw in probed_heads(cfg, w, blocks):
        directions = {"query": hw["W_Q"] @ hw["b_K"], "key": hw["b_Q"] @ hw["W_K"].T}
        for kind, direction in directions.items():
            scores = tokens @ direction / math.sqrt(hw["dh"])
            for sign in (1, -1):
                for rank, token in enumerate(top(scores, TOP_K, descending=sign > 0)):
                    rows.append({"block": b, "head": h, "kind": kind, "sign": sign, "rank": rank,
                                 "token_id": token, "score": float(scores[token])})
    return rows


def trajectories(cfg, w, weights_f32, phrases):
    e = w["wte.weight"]
    normed = layer_norm(e)
    mean = normed.mean(0)
    _, s, vt = np.linalg.svd(normed - mean, full_matrices=False)   # PCA by SVD of the centered rows
    axes = vt[:3].copy()
    cloud = (normed - mean) @ axes.T
    for a in range(3):
        if cloud[:, a].max() < -cloud[:, a].min():
            axes[a], cloud[:, a] = -axes[a], -cloud[:, a]
    rows = []
    stages = ["embed", "embed+pos"] + [f"resid_post.{l}" for l in range(cfg["n_layer"])]
    for p, tokens in enumerate(phrases):
        hooks = {k: v[0].numpy() for k, v in forward(cfg, weights_f32, tokens).items()}
        residuals = [hooks["hook_embed"], hooks["blocks.0.hook_resid_pre"]]
        residuals += [hooks[f"blocks.{l}.hook_resid_post"] for l in range(cfg["n_layer"])]
        for pos, token in enumerate(tokens):
            last = pos == len(tokens) - 1
            for si, (stage, x) in enumerate(zip(stages, residuals)):
                lens = layer_norm(x[pos], w["ln_f.weight"], w["ln_f.bias"])
                logits = e @ lens
                probs = np.exp(logits - logits.max())
                probs /= probs.sum()
                top_ids = top(probs, TOP_K, min_gap=MIN_GAP_F32)
                cos = lambda a, b: float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))
                coords = (lens - mean) @ axes.T
                rows.append({"phrase_index": p, "position": pos, "token_id": token, "stage_index": si, "stage": stage,
                             "next_token_id": None if last else tokens[pos + 1],
                             "top_token_ids": top_ids, "top_probs": [float(probs[i]) for i in top_ids],
                             "cos_current": cos(lens, e[token]),
                             "cos_next": None if last else cos(lens, e[tokens[pos + 1]]),
                             "x": float(coords[0]), "y": float(coords[1]), "z": float(coords[2])})
    variances = (s[:3] ** 2 / e.shape[0]).tolist()
    return rows, variances


def main():
    out_dir = os.path.join(ROOT, "probes")
    os.makedirs(out_dir, exist_ok=True)
    for name, fixture in FIXTURES.items():
        cfg, w = load(name)
        weights_f32 = read_safetensors(os.path.join(ROOT, name, "model.safetensors"))
        blocks = list(range(cfg["n_layer"]))
        nouns, phrases = fixture["nouns"], fixture["phrases"]
        rows, variances = trajectories(cfg, w, weights_f32, phrases)
        golden = {
            "top_k": TOP_K, "nouns": nouns, "blocks": blocks, "phrases": phrases,
            "embedding_norms": embedding_norms(w),
            "embedding_ln_distance": embedding_ln_distance(w),
            "probe_qk": probe_qk(cfg, w, blocks, nouns),
            "probe_vo": probe_vo(cfg, w, blocks, nouns),
            "head_svd": head_svd(cfg, w, blocks),
            "bias_probe": bias_probe(cfg, w, blocks),
            "trajectories": rows,
            "pca_variances": variances,
        }
        path = os.path.join(out_dir, name + ".json")
        with open(path, "w") as f:
            json.dump(golden, f, indent=1)
            f.write("\n")
        counts = {k: len(v) for k, v in golden.items() if isinstance(v, list) and k not in ("nouns", "blocks", "phrases")}
        print(f"{name}: {counts} -> {path} ({os.path.getsize(path) / 1024:.0f} KiB)")


if __name__ == "__main__":
    main()
