#!/usr/bin/python3
"""The PyTorch bar that `tw bench` is compared with (README, Benchmark).

Run with Debian's interpreter and BLAS (python3-torch, libopenblas0-openmp), nothing else:

    /usr/bin/python3 tools/pytorch_baseline.py [--threads 2] [--batch 8] [--seq 256] [--repeats 5]

A random model of GPT-2 124M's shape (12 layers, 12 heads, d 768, vocabulary 50257), float32, eval
mode, no autograd. It prints, as `tw bench` does, one line per figure (median of --repeats):

    baseline forward_nologits tokens_per_s=…   the bare forward up to ln_f (no vocabulary product)
    baseline forward_stats tokens_per_s=…      the same plus per-layer statistics of the residual stream
                                               (DESIGN §4: at resid_pre/mid/post of every block the norm,
                                               the LayerNorm scale, the step angle to the previous site)
    baseline matmul gflops=…                   one [2048, 768] x [768, 3072] product
and the BLAS torch uses (torch.__config__.show()) with OpenBLAS's core type when it says it.
"""

import argparse
import math
import statistics
import time

import torch
import torch.nn.functional as F

D, HEADS, LAYERS, VOCAB, POSITIONS = 768, 12, 12, 50257, 1024


def weights(seed=0):
    g = torch.Generator().manual_seed(seed)

    def r(*shape):
        return torch.randn(*shape, generator=g) * 0.02

    blocks = []
    for _ in range(LAYERS):
        blocks.append({
            "ln1_g": torch.ones(D), "ln1_b": torch.zeros(D),
            "attn_w": r(D, 3 * D), "attn_b": torch.zeros(3 * D),
            "proj_w": r(D, D), "proj_b": torch.zeros(D),
            "ln2_g": torch.ones(D), "ln2_b": torch.zeros(D),
            "fc_w": r(D, 4 * D), "fc_b": torch.zeros(4 * D),
            "out_w": r(4 * D, D), "out_b": torch.zeros(D),
        })
    return {"wte": r(VOCAB, D), "wpe": r(POSITIONS, D), "blocks": blocks,
            "lnf_g": torch.ones(D), "lnf_b": torch.zeros(D)}


def attention(x, b, mask):
    batch, seq, _ = x.shape
    qkv = torch.addmm(b["attn_b"], x.reshape(-1, D), b["attn_w"]).view(batch, seq, 3, HEADS, D // HEADS)
    q, k, v = qkv.permute(2, 0, 3, 1, 4)
    scores = (q @ k.transpose(-1, -2)) / math.sqrt(D // HEADS)
    pattern = torch.softmax(scores.masked_fill(mask, float("-inf")), dim=-1)
    z = (pattern @ v).transpose(1, 2).reshape(-1, D)
    return torch.addmm(b["proj_b"], z, b["proj_w"]).view(batch, seq, D)


def mlp(x, b):
    h = F.gelu(torch.addmm(b["fc_b"], x.reshape(-1, D), b["fc_w"]), approximate="tanh")
    return torch.addmm(b["out_b"], h, b["out_w"]).view(x.shape)


def site_stats(x, previous):
    """Per-token norm, LayerNorm scale (std over d) and step angle to the previous site, summed per batch."""
    norm = x.norm(dim=-1)
    scale = x.std(dim=-1, unbiased=False)
    cos = (x * previous).sum(-1) / (norm * previous.norm(dim=-1)).clamp_min(1e-12)
    angle = torch.acos(cos.clamp(-1, 1))
    return torch.stack([norm.sum(), scale.sum(), angle.sum(), (norm * norm).sum()])


def forward(w, tokens, stats):
    batch, seq = tokens.shape
    mask = torch.ones(seq, seq, dtype=torch.bool).triu(1)
    x = w["wte"][tokens] + w["wpe"][:seq]
    totals = []
    for b in w["blocks"]:
        pre = x
        x = x + attention(F.layer_norm(x, (D,), b["ln1_g"], b["ln1_b"]), b, mask)
        mid = x
        x = x + mlp(F.layer_norm(x, (D,), b["ln2_g"], b["ln2_b"]), b)
        if stats:
            totals += [site_stats(pre, pre), site_stats(mid, pre), site_stats(x, mid)]
    out = F.layer_norm(x, (D,), w["lnf_g"], w["lnf_b"])
    return out, (torch.stack(totals) if stats else None)


def median_seconds(fn, repeats):
    fn()  # warm-up: first-touch of buffers, thread pool start
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--batch", type=int, default=8)
    p.add_argument("--seq", type=int, default=256)
    p.add_argument("--repeats", type=int, default=5)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.set_grad_enabled(False)
    print("baseline torch", torch.__version__, "threads", torch.get_num_threads())
    for line in torch.__config__.show().splitlines():
        if "BLAS" in line or "LAPACK" in line or "CPU capability" in line:
            print("baseline config", line.strip())
    w = weights()
    tokens = torch.randint(0, VOCAB, (a.batch, a.seq), generator=torch.Generator().manual_seed(1))
    n = a.batch * a.seq
    bare = median_seconds(lambda: forward(w, tokens, False), a.repeats)
    print(f"baseline forward_nologits tokens_per_s={n / bare:.1f}")
    with_stats = median_seconds(lambda: forward(w, tokens, True), a.repeats)
    print(f"baseline forward_stats tokens_per_s={n / with_stats:.1f}")
    x, y = torch.randn(2048, D), torch.randn(D, 4 * D)
    mm = median_seconds(lambda: x @ y, a.repeats)
    print(f"baseline matmul gflops={2 * 2048 * D * 4 * D / mm / 1e9:.1f}")


if __name__ == "__main__":
    main()
