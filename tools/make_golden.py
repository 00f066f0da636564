#!/usr/bin/python3
"""Golden fixtures for the GPT-2 loader and hooked forward (DESIGN §2, §3).

Run from the repository root with Debian's interpreter (torch + numpy, nothing else):

    /usr/bin/python3 tools/make_golden.py

It rewrites common/src/test/resources/golden/. Everything is deterministic (fixed seeds), so a
rerun reproduces the same bytes. The forward here is an independent reference written from the
math in DESIGN §2, in float64, and only cast to float32 when saved: the golden is more exact than
the float32 code under test, so a tolerance of 1e-4 measures that code's error alone.

Outputs, per model folder golden/<name>/:
  config.json          Hugging Face GPT-2 config
  model.safetensors    float32 weights under the canonical keys (no prefix)
  hooks.safetensors    seq{i}/tokens (I64 [T]) and seq{i}/<hook> (F32, batch dim 1) for every
                       hook of DESIGN §3, each sequence run alone (no padding)
and golden/tiny-a-variants/ for the loader tests:
  f16.safetensors, bf16.safetensors          tiny-a's weights stored as F16 / BF16
  expected-from-f16/bf16.safetensors         those rounded values widened back to F32
  prefixed.safetensors                       keys prefixed 'transformer.', plus the attn.bias /
                                             attn.masked_bias buffers and lm_head.weight
"""

import json
import math
import os
import struct

import numpy as np
import torch

ROOT = os.path.join("common", "src", "test", "resources", "golden")
EPS = 1e-5

# safetensors dtype name <-> (torch dtype, bytes per element)
DTYPES = {
    "F32": (torch.float32, 4),
    "F16": (torch.float16, 2),
    "BF16": (torch.bfloat16, 2),
    "I64": (torch.int64, 8),
}


# ---------------------------------------------------------------- safetensors I/O

def tensor_bytes(t, dtype):
    """Little-endian raw bytes of t stored as dtype (numpy has no bf16: go through int16 bits)."""
    torch_dtype, _ = DTYPES[dtype]
    t = t.detach().to(torch_dtype).contiguous()
    if dtype == "BF16":
        arr = t.view(torch.int16).numpy().astype("<i2")
    else:
        arr = t.numpy()
        arr = arr.astype(arr.dtype.newbyteorder("<"))
    return arr.tobytes()


def write_safetensors(path, tensors):
    """tensors: ordered list of (name, tensor, dtype). Header padded with spaces to 8 bytes."""
    header, blobs, offset = {}, [], 0
    for name, t, dtype in tensors:
        raw = tensor_bytes(t, dtype)
        header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for raw in blobs:
            f.write(raw)


def read_safetensors(path):
    """Name -> tensor (float dtypes widened to float32), to check what was written."""
    with open(path, "rb") as f:
        blob = f.read()
    (n,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8:8 + n].decode("utf-8"))
    data = blob[8 + n:]
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        begin, end = info["data_offsets"]
        raw = bytearray(data[begin:end])
        dtype = info["dtype"]
        if dtype == "BF16":
            bits = torch.frombuffer(raw, dtype=torch.int16) if raw else torch.zeros(0, dtype=torch.int16)
            t = bits.view(torch.bfloat16).float()
        else:
            np_type = {"F32": "<f4", "F16": "<f2", "I64": "<i8"}[dtype]
            t = torch.from_numpy(np.frombuffer(bytes(raw), dtype=np_type).copy())
            if dtype == "F16":
                t = t.float()
        out[name] = t.reshape(info["shape"])
    return out


# ---------------------------------------------------------------- weights

def make_weights(cfg, seed, w_std, b_std, emb_std, gain_std, ln_bias_std, fc_std=None):
    """Random float32 weights under the canonical keys, Conv1D layout W [in, out]."""
    g = torch.Generator().manual_seed(seed)
    d, inner, v, p = cfg["n_embd"], 4 * cfg["n_embd"], cfg["vocab_size"], cfg["n_positions"]

    def normal(shape, std, mean=0.0):
        return (torch.randn(shape, generator=g, dtype=torch.float64) * std + mean).float()

    w = {"wte.weight": normal((v, d), emb_std), "wpe.weight": normal((p, d), emb_std)}
    for i in range(cfg["n_layer"]):
        h = f"h.{i}."
        w[h + "ln_1.weight"] = normal((d,), gain_std, 1.0)
        w[h + "ln_1.bias"] = normal((d,), ln_bias_std)
        w[h + "attn.c_attn.weight"] = normal((d, 3 * d), w_std)
        w[h + "attn.c_attn.bias"] = normal((3 * d,), b_std)
        w[h + "attn.c_proj.weight"] = normal((d, d), w_std)
        w[h + "attn.c_proj.bias"] = normal((d,), b_std)
        w[h + "ln_2.weight"] = normal((d,), gain_std, 1.0)
        w[h + "ln_2.bias"] = normal((d,), ln_bias_std)
        w[h + "mlp.c_fc.weight"] = normal((d, inner), fc_std or w_std)
        w[h + "mlp.c_fc.bias"] = normal((inner,), b_std)
        w[h + "mlp.c_proj.weight"] = normal((inner, d), w_std)
        w[h + "mlp.c_proj.bias"] = normal((d,), b_std)
    w["ln_f.weight"] = normal((d,), gain_std, 1.0)
    w["ln_f.bias"] = normal((d,), ln_bias_std)
    return w


# ---------------------------------------------------------------- reference forward (float64)

def layer_norm(x, gain, bias, prefix, hooks):
    """LN(x) = γ ⊙ (x − μ)/σ + β, σ = sqrt(mean((x − μ)²) + ε): ε inside the sqrt."""
    mu = x.mean(dim=-1, keepdim=True)
    centered = x - mu
    scale = torch.sqrt((centered * centered).mean(dim=-1, keepdim=True) + EPS)
    normalized = centered / scale
    hooks[prefix + "hook_scale"] = scale
    hooks[prefix + "hook_normalized"] = normalized
    return normalized * gain + bias


def gelu(x, activation):
    if activation == "gelu":
        return 0.5 * x * (1.0 + torch.erf(x / math.sqrt(2.0)))
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x ** 3)))


def forward(cfg, weights, tokens):
    """Every DESIGN §3 hook for one unpadded sequence, float64, batch dim 1."""
    w = {k: t.double() for k, t in weights.items()}
    n_head, d = cfg["n_head"], cfg["n_embd"]
    dh = d // n_head
    T = len(tokens)
    hooks = {}

    embed = w["wte.weight"][torch.tensor(tokens)]            # [T, D]
    pos = w["wpe.weight"][:T]                                # [T, D]
    hooks["hook_embed"] = embed
    hooks["hook_pos_embed"] = pos
    x = embed + pos
    future = torch.triu(torch.ones(T, T, dtype=torch.bool), diagonal=1)  # key after query

    for l in range(cfg["n_layer"]):
        h, p = f"h.{l}.", f"blocks.{l}."
        hooks[p + "hook_resid_pre"] = x
        a = layer_norm(x, w[h + "ln_1.weight"], w[h + "ln_1.bias"], p + "ln1.", hooks)
        qkv = a @ w[h + "attn.c_attn.weight"] + w[h + "attn.c_attn.bias"]   # [T, 3D]
        q, k, v = (qkv[:, i * d:(i + 1) * d].reshape(T, n_head, dh) for i in range(3))
        hooks[p + "attn.hook_q"], hooks[p + "attn.hook_k"], hooks[p + "attn.hook_v"] = q, k, v

        scores = torch.einsum("qhd,khd->hqk", q, k) / math.sqrt(dh)          # [H, T, T]
        scores = scores.masked_fill(future, float("-inf"))
        hooks[p + "attn.hook_attn_scores"] = scores
        # softmax by hand over the visible keys: exp(s − max) / Σ exp(s − max)
        shifted = torch.exp(scores - scores.max(dim=-1, keepdim=True).values)
        pattern = shifted / shifted.sum(dim=-1, keepdim=True)
        hooks[p + "attn.hook_pattern"] = pattern
        z = torch.einsum("hqk,khd->qhd", pattern, v)                          # [T, H, dh]
        hooks[p + "attn.hook_z"] = z

        w_o = w[h + "attn.c_proj.weight"]
        result = torch.stack([z[:, i, :] @ w_o[i * dh:(i + 1) * dh, :] for i in range(n_head)], dim=1)
        hooks[p + "attn.hook_result"] = result                               # [T, H, D], no b_O
        attn_out = result.sum(dim=1) + w[h + "attn.c_proj.bias"]
        hooks[p + "hook_attn_out"] = attn_out
        mid = x + attn_out
        hooks[p + "hook_resid_mid"] = mid

        m = layer_norm(mid, w[h + "ln_2.weight"], w[h + "ln_2.bias"], p + "ln2.", hooks)
        pre = m @ w[h + "mlp.c_fc.weight"] + w[h + "mlp.c_fc.bias"]
        hooks[p + "mlp.hook_pre"] = pre
        post = gelu(pre, cfg["activation_function"])
        hooks[p + "mlp.hook_post"] = post
        mlp_out = post @ w[h + "mlp.c_proj.weight"] + w[h + "mlp.c_proj.bias"]
        hooks[p + "hook_mlp_out"] = mlp_out
        x = mid + mlp_out
        hooks[p + "hook_resid_post"] = x

    final = layer_norm(x, w["ln_f.weight"], w["ln_f.bias"], "ln_final.", hooks)
    hooks["logits"] = final @ w["wte.weight"].T                               # tied unembedding
    return {name: t.unsqueeze(0) for name, t in hooks.items()}


# ---------------------------------------------------------------- fixtures

def config_json(cfg):
    return {
        "model_type": "gpt2",
        "architectures": ["GPT2LMHeadModel"],
        "n_layer": cfg["n_layer"],
        "n_head": cfg["n_head"],
        "n_embd": cfg["n_embd"],
        "vocab_size": cfg["vocab_size"],
        "n_positions": cfg["n_positions"],
        "n_ctx": cfg["n_positions"],
        "layer_norm_epsilon": EPS,
        "n_inner": None,
        "activation_function": cfg["activation_function"],
    }


def write_model(name, cfg, weights, seq_seed):
    folder = os.path.join(ROOT, name)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "config.json"), "w") as f:
        json.dump(config_json(cfg), f, indent=2)
        f.write("\n")
    write_safetensors(os.path.join(folder, "model.safetensors"), [(k, t, "F32") for k, t in weights.items()])

    g = torch.Generator().manual_seed(seq_seed)
    entries = []
    for i, length in enumerate([7, 12, cfg["n_positions"]]):
        tokens = torch.randint(0, cfg["vocab_size"], (length,), generator=g).tolist()
        entries.append((f"seq{i}/tokens", torch.tensor(tokens, dtype=torch.int64), "I64"))
        for hook, value in forward(cfg, weights, tokens).items():
            entries.append((f"seq{i}/{hook}", value, "F32"))
    write_safetensors(os.path.join(folder, "hooks.safetensors"), entries)
    return folder


def write_variants(cfg, weights):
    folder = os.path.join(ROOT, "tiny-a-variants")
    os.makedirs(folder, exist_ok=True)
    for dtype, label in (("F16", "f16"), ("BF16", "bf16")):
        write_safetensors(os.path.join(folder, label + ".safetensors"), [(k, t, dtype) for k, t in weights.items()])
        torch_dtype = DTYPES[dtype][0]
        # the exact values a correct reader must produce: round to nearest even, widen back
        rounded = [(k, t.to(torch_dtype).float(), "F32") for k, t in weights.items()]
        write_safetensors(os.path.join(folder, f"expected-from-{label}.safetensors"), rounded)

    # A transformers-style GPT2LMHeadModel file: prefixed keys, mask buffers, the tied lm_head.
    p = cfg["n_positions"]
    entries = []
    for k, t in weights.items():
        entries.append(("transformer." + k, t, "F32"))
        if k.endswith("ln_1.bias"):
            layer = k.split(".")[1]
            mask = torch.tril(torch.ones(p, p)).reshape(1, 1, p, p)
            entries.append((f"transformer.h.{layer}.attn.bias", mask, "F32"))
            entries.append((f"transformer.h.{layer}.attn.masked_bias", torch.tensor(-1e4), "F32"))
    entries.append(("lm_head.weight", weights["wte.weight"], "F32"))
    write_safetensors(os.path.join(folder, "prefixed.safetensors"), entries)
    return folder


def check_roundtrip(path, expected):
    """Reads a written file back with the independent reader and compares bit for bit."""
    got = read_safetensors(path)
    assert list(got) == list(expected), path
    for k, t in expected.items():
        assert torch.equal(got[k], t), (path, k)


def main():
    torch.manual_seed(0)
    tiny_a = {"n_layer": 2, "n_head": 4, "n_embd": 32, "vocab_size": 96, "n_positions": 32,
              "activation_function": "gelu_new"}
    # GPT-2-like init; LN gains and biases off 1 and 0 so γ/β matter. The small residual makes ε
    # matter too. c_fc is as wide as in trained GPT-2 (std ≈ 0.15) so mlp.hook_pre reaches |x| ≈ 2,
    # where the tanh and erf forms of gelu differ by more than the tests' tolerance.
    a_weights = make_weights(tiny_a, seed=1, w_std=0.02, b_std=0.02, emb_std=0.02,
                             gain_std=0.1, ln_bias_std=0.05, fc_std=0.15)
    tiny_sharp = {"n_layer": 3, "n_head": 2, "n_embd": 24, "vocab_size": 80, "n_positions": 24,
                  "activation_function": "gelu"}
    # Large weights everywhere: peaked attention, big MLP inputs (both tails of gelu).
    s_weights = make_weights(tiny_sharp, seed=2, w_std=0.3, b_std=0.3, emb_std=0.3,
                             gain_std=0.3, ln_bias_std=0.3)

    for name, cfg, weights, seq_seed in (("tiny-a", tiny_a, a_weights, 11), ("tiny-sharp", tiny_sharp, s_weights, 12)):
        folder = write_model(name, cfg, weights, seq_seed)
        check_roundtrip(os.path.join(folder, "model.safetensors"), weights)
        hooks = read_safetensors(os.path.join(folder, "hooks.safetensors"))
        print(f"{name}: {len(weights)} weights, {len(hooks)} hook tensors")

    folder = write_variants(tiny_a, a_weights)
    check_roundtrip(os.path.join(folder, "expected-from-f16.safetensors"),
                    read_safetensors(os.path.join(folder, "f16.safetensors")))
    check_roundtrip(os.path.join(folder, "expected-from-bf16.safetensors"),
                    read_safetensors(os.path.join(folder, "bf16.safetensors")))

    total = 0
    for dirpath, _, files in os.walk(ROOT):
        for f in files:
            total += os.path.getsize(os.path.join(dirpath, f))
    print(f"golden total: {total / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
