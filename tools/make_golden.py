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
and golden/sphere/ for the end-to-end sphere job test (DESIGN §4, §7):
  tiny-vocab/          config.json + model.safetensors: GPT-2's full vocabulary, 2 layers, d 16
                       (wte stored as F16, every other tensor F32)
  documents.jsonl      the corpus (DOCUMENTS below), one {"id", "text"} per line
  tokens.json          doc id -> GPT-2 token ids: the reference's input (see tokenize_with_tw)
  expected_stats.csv   sphere_stats: count, mean, population stddev, min, max per key
  expected_travel.csv  token_travel: per (layer, token id) means at resid_post
  expected_counts.json documents, usable windows, skipped windows, tokens in usable windows

Python has no GPT-2 tokenizer here, so tokens.json is made by the project's `bin/tw hooks` (JTokkit's
r50k_base) and committed. After editing DOCUMENTS, rerun with --tokenize (needs a built project):

    /usr/bin/python3 tools/make_golden.py --tokenize

Without --tokenize the script refuses to run if documents.jsonl no longer matches DOCUMENTS.
"""

import json
import math
import os
import struct
import subprocess
import sys
import tempfile

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


# ---------------------------------------------------------------- sphere statistics (DESIGN §4)
#
# golden/sphere/ is the end-to-end fixture of the sphere job: a model with GPT-2's full vocabulary
# (so that real text tokenizes into it), a small corpus, and the statistics the job must produce,
# computed here per token in float64 from the math of DESIGN §4 and aggregated like sphere_stats.

SPHERE = os.path.join(ROOT, "sphere")
SPHERE_MODEL = os.path.join(SPHERE, "tiny-vocab")
BLOCK, STRIDE, MIN_WINDOW = 64, 64, 2          # window k = tokens[64k : 64k+64], no EOS; < 2 tokens: skipped
BUCKETS = ["0", "1", "2-3", "4-7", "8-15", "16-31", "32-63"]
ALL = "all"                                    # every position except 0
SITES = ("resid_pre", "resid_mid", "resid_post")
# DESIGN §4's metrics in table order, with the sites where each is defined.
POST = ("resid_post",)
METRICS = [("norm", SITES), ("coord_mean", SITES), ("ones_cos", SITES), ("scale", SITES),
           ("radius_error", SITES), ("step_angle", ("resid_mid", "resid_post")), ("layer_angle", POST),
           ("embed_angle", SITES), ("next_cos", POST), ("log_ratio", POST), ("next_logprob", POST),
           ("next_rank", POST), ("lens_entropy", POST)]

TINY_VOCAB = {"n_layer": 2, "n_head": 2, "n_embd": 16, "vocab_size": 50257, "n_positions": BLOCK,
              "activation_function": "gelu_new"}

# The corpus. Shapes that matter: "greeting" is 1 token (a document whose only window is skipped);
# "two-tokens" is the shortest usable window; exact-64/65/66 end exactly at, 1 past (a skipped
# 1-token tail window) and 2 past (a usable 2-token tail) a window boundary; "lighthouse",
# "repeat" and "history" span 2, 3 and 4 windows; "separator" holds a literal <|endoftext|>
# (token 50256); "cafe" has multi-byte UTF-8.
# A paragraph of exactly 64 tokens; with one and two more words it makes 65 and 66 (see tokens.json).
MARKET = ("Every autumn the village holds a market on the square. Farmers bring apples, pears, pumpkins and jars of "
          "honey; bakers sell bread still warm from the oven; children run between the stalls with paper bags of "
          "roasted chestnuts. In the evening a band plays by the fountain, and the last customers walk home")

DOCUMENTS = [
    ("greeting", "Hello"),
    ("two-tokens", "Good morning"),
    ("weather", "The rain stopped just before noon, and the streets of the old town began to dry in the pale sunlight."),
    ("recipe", "To make the soup, soften two onions in butter, add the potatoes and a litre of stock, then simmer "
               "for twenty minutes before blending."),
    ("library", "The library opens at nine. Students queue outside with coffee, waiting for the doors and the quiet "
                "tables by the windows."),
    ("river", "A river carries sand from the mountains to the sea. Over thousands of years the sand builds a delta, "
              "a fan of islands and channels that shift with every flood."),
    ("question", "Why do cats sleep so much? Nobody is entirely sure, but hunting takes energy, and sleep saves it."),
    ("numbers", "In 1969, 600 million people watched the landing; in 2024 the footage has been viewed 3.5 billion times."),
    ("cafe", "At the café on the corner, Zoë ordered a crème brûlée and a glass of rosé — “just this once,” she said."),
    ("train", "The night train to Vienna left eleven minutes late. Somewhere past the border the conductor stopped "
              "checking tickets and fell asleep in the dining car."),
    ("garden", "Tomatoes need sun, water and patience. Pinch out the side shoots, feed them every week, and pick the "
               "fruit when it is deep red."),
    ("code", "def add(a, b):\n    return a + b\n\nprint(add(2, 3))"),
    ("list", "Shopping list:\n- eggs\n- flour\n- milk\n- two lemons"),
    ("letter", "Dear Anna,\n\nThank you for the postcard from Lisbon. The tiles look wonderful. We miss you here and "
               "hope the new job is going well.\n\nLove,\nTom"),
    ("chess", "White opened with the queen's pawn. Black answered with the knight, and after twenty quiet moves the "
              "game ended in a draw."),
    ("bridge", "Engineers inspect the bridge every spring. They look for rust on the cables, cracks in the concrete "
               "and loose bolts under the deck."),
    ("stars", "On a clear night far from any city, you can see about four thousand stars with the naked eye."),
    ("shout", "STOP! Do not open this door!!!"),
    ("markets", "Shares fell sharply on Monday after the central bank raised interest rates by half a point, the "
                "largest increase in a decade."),
    ("bees", "A honey bee visits up to a hundred flowers on a single trip and returns to the hive carrying nectar, "
             "pollen and news of where to find more."),
    ("separator", "First part of the record.<|endoftext|>Second part, after the separator."),
    ("fox", "The quick brown fox jumps over the lazy dog."),
    ("poem", "Whose woods these are I think I know.\nHis house is in the village though;\nHe will not see me "
             "stopping here\nTo watch his woods fill up with snow."),
    ("exact-64", MARKET),
    ("exact-65", MARKET + " under"),
    ("exact-66", MARKET + " under strings"),
    ("lighthouse", "The lighthouse keeper climbed the hundred and twelve steps every evening at dusk. He wound the "
                   "clockwork, trimmed the wick and polished the great lens until it shone. Ships passing the headland "
                   "at night saw the beam sweep across the water every ten seconds and knew where the rocks were. When "
                   "the light was automated in 1980, the keeper moved to a cottage in the village, but he still walked "
                   "up the hill each evening to watch it turn."),
    ("history", "The printing press spread across Europe within fifty years of its invention. By 1500, presses in "
                "more than two hundred cities had produced millions of books. Prices fell, literacy rose, and ideas "
                "that once travelled by hand-copied manuscript now moved at the speed of the cart and the ship. "
                "Scholars could compare identical copies of a text, errors could be corrected in the next edition, "
                "and for the first time an author could reach readers he would never meet. Governments and churches "
                "soon learned to fear the press as much as they valued it, and licences, censors and banned-book "
                "lists followed close behind the printers themselves. Within a century the book had changed shape "
                "as well: smaller formats, page numbers, title pages and indexes made it something a reader could "
                "carry, search and own. Newspapers followed in the seventeenth century, and with them the idea that "
                "ordinary people should know what happened beyond their own town. Few inventions have changed so "
                "much while looking so simple."),
    ("repeat", " ".join(["one two three four five six seven eight nine ten"] * 13)),
    ("mountain", "We left the hut at four in the morning, roped together, headlamps bobbing on the glacier. The snow "
                 "was hard and the crampons bit cleanly. By sunrise we had reached the ridge, and the whole range "
                 "lay below us, pink and gold."),
]


def tokenize_with_tw(texts):
    """Token ids of texts from the project's own GPT-2 tokenizer.

    Python has no GPT-2 BPE here, so `bin/tw hooks --text ...` does it: the ids it writes (tensor
    `tokens` [B,T], right-padded, and `lengths` [B]) come from JTokkit's r50k_base, a third-party
    tokenizer, not code under test. A throwaway model with GPT-2's vocabulary and 1024 positions
    gives the forward room for the longest document; its weights are irrelevant.
    """
    cfg = {"n_layer": 1, "n_head": 1, "n_embd": 4, "vocab_size": 50257, "n_positions": 1024,
           "activation_function": "gelu_new"}
    with tempfile.TemporaryDirectory() as tmp:
        model = os.path.join(tmp, "model")
        os.makedirs(model)
        with open(os.path.join(model, "config.json"), "w") as f:
            json.dump(config_json(cfg), f)
        weights = make_weights(cfg, seed=0, w_std=0.02, b_std=0.02, emb_std=0.02, gain_std=0.0, ln_bias_std=0.0)
        write_safetensors(os.path.join(model, "model.safetensors"), [(k, t, "F32") for k, t in weights.items()])
        out = os.path.join(tmp, "tokens.safetensors")
        command = ["bin/tw", "hooks", "--model", model, "--names", "hook_embed", "--out", out]
        for text in texts:
            command += ["--text", text]
        # The JVM decodes its arguments with the locale's charset: force UTF-8 or é becomes '?'.
        subprocess.run(command, check=True, env=dict(os.environ, LC_ALL="C.UTF-8", LANG="C.UTF-8"),
                       stdout=subprocess.DEVNULL)
        got = read_safetensors(out)
    tokens, lengths = got["tokens"], got["lengths"]
    return [tokens[i, :int(lengths[i])].tolist() for i in range(len(texts))]


def documents_jsonl():
    return "".join(json.dumps({"id": doc_id, "text": text}, ensure_ascii=False) + "\n" for doc_id, text in DOCUMENTS)


def write_tokens():
    """--tokenize: writes documents.jsonl and its token ids, tokens.json, the reference's input."""
    texts = [text for _, text in DOCUMENTS]
    ids = tokenize_with_tw(texts + ["é", "?"])
    # Guard against a JVM that decoded the arguments as ASCII: é would come out as '?'.
    assert ids[-2] != ids[-1], "non-ASCII text reached the tokenizer as '?': check the locale"
    os.makedirs(SPHERE, exist_ok=True)
    with open(os.path.join(SPHERE, "documents.jsonl"), "w", encoding="utf-8") as f:
        f.write(documents_jsonl())
    lines = [f"  {json.dumps(doc_id)}: {json.dumps(tokens)}" for (doc_id, _), tokens in zip(DOCUMENTS, ids)]
    with open(os.path.join(SPHERE, "tokens.json"), "w") as f:
        f.write("{\n" + ",\n".join(lines) + "\n}\n")


def read_tokens():
    """tokens.json, checked to belong to the documents as written now (else: rerun with --tokenize)."""
    with open(os.path.join(SPHERE, "documents.jsonl"), encoding="utf-8") as f:
        if f.read() != documents_jsonl():
            sys.exit("DOCUMENTS changed since tokens.json was made: rerun with --tokenize")
    with open(os.path.join(SPHERE, "tokens.json")) as f:
        tokens = json.load(f)
    assert list(tokens) == [doc_id for doc_id, _ in DOCUMENTS]
    return tokens


def windows(tokens):
    """(usable windows, skipped count) of one document."""
    usable, skipped = [], 0
    for start in range(0, len(tokens), STRIDE):
        window = tokens[start:start + BLOCK]
        if len(window) >= MIN_WINDOW:
            usable.append(window)
        else:
            skipped += 1
        if start + BLOCK >= len(tokens):
            break
    return usable, skipped


def bucket(position):
    return BUCKETS[position.bit_length()]        # 0 → "0", 1 → "1", 2..3 → "2-3", …, 32..63 → "32-63"


def angle(a, b):
    """∠(a, b) per row in radians: arccos of the cosine, in float64."""
    cos = (a * b).sum(-1) / (np.linalg.norm(a, axis=-1) * np.linalg.norm(b, axis=-1))
    return np.arccos(np.clip(cos, -1.0, 1.0))


def window_metrics(cfg, weights, tokens):
    """{(layer, site, metric): float64 [T]} for one window, NaN where a metric is undefined (last token)."""
    hooks = {name: t[0].numpy() for name, t in forward(cfg, weights, tokens).items()}
    emb = weights["wte.weight"].double().numpy()                 # E [V, D]
    gain_f, bias_f = weights["ln_f.weight"].double().numpy(), weights["ln_f.bias"].double().numpy()
    d, T = cfg["n_embd"], len(tokens)
    ids, nxt = np.array(tokens), np.array(tokens[1:])
    has_next = np.arange(T) < T - 1
    root_d = math.sqrt(d)

    def tail_nan(values):                                          # defined at t < T−1 only
        return np.where(has_next, np.append(values, 0.0), np.nan)

    out, hat = {}, {}
    for l in range(cfg["n_layer"]):
        for site in SITES:
            x = hooks[f"blocks.{l}.hook_{site}"]                       # [T, D]
            mu = x.mean(-1)
            centered = x - mu[:, None]
            scale = np.sqrt((centered ** 2).mean(-1) + EPS)
            x_hat = centered / scale[:, None]
            hat[site] = x_hat
            if l == 0 and site == "resid_pre":
                start = x_hat
            norm = np.linalg.norm(x, axis=-1)
            m = {"norm": norm, "coord_mean": mu, "ones_cos": mu * root_d / norm, "scale": scale,
                 "radius_error": np.linalg.norm(x_hat, axis=-1) - root_d,
                 "embed_angle": np.zeros(T) if (l == 0 and site == "resid_pre") else angle(x_hat, start)}
            if site == "resid_mid":
                m["step_angle"] = angle(hat["resid_pre"], x_hat)
            if site == "resid_post":
                m["step_angle"] = angle(hat["resid_mid"], x_hat)
                m["layer_angle"] = angle(hat["resid_pre"], x_hat)
                # logit lens: LNf with γ_f, β_f, then the tied unembedding
                lens = (x - mu[:, None]) / scale[:, None] * gain_f + bias_f      # LNf(x) [T, D]
                logits = lens @ emb.T                                             # [T, V]
                top = logits.max(-1, keepdims=True)
                log_probs = logits - (top + np.log(np.exp(logits - top).sum(-1, keepdims=True)))
                m["lens_entropy"] = -(np.exp(log_probs) * log_probs).sum(-1)
                head = lens[:-1]
                m["next_cos"] = tail_nan((head * emb[nxt]).sum(-1) / (np.linalg.norm(head, axis=-1)
                                                                      * np.linalg.norm(emb[nxt], axis=-1)))
                m["log_ratio"] = tail_nan((head * (emb[nxt] - emb[ids[:-1]])).sum(-1))
                rows = np.arange(T - 1)
                m["next_logprob"] = tail_nan(log_probs[rows, nxt])
                target = logits[rows, nxt]
                m["next_rank"] = tail_nan((logits[:-1] > target[:, None]).sum(-1).astype(np.float64))
            for metric, values in m.items():
                out[(l, site, metric)] = values
    return out


def write_sphere():
    """golden/sphere/: the tiny-vocab model and the expected sphere_stats, token_travel and run counts."""
    cfg = TINY_VOCAB
    # Large weights so that attention and the MLP turn the residual visibly (angles far from 0).
    weights = make_weights(cfg, seed=3, w_std=0.2, b_std=0.05, emb_std=0.5, gain_std=0.1, ln_bias_std=0.05)
    # wte is stored as F16 to halve the file: the reference uses the rounded values, as the loader does.
    weights["wte.weight"] = weights["wte.weight"].half().float()
    os.makedirs(SPHERE_MODEL, exist_ok=True)
    with open(os.path.join(SPHERE_MODEL, "config.json"), "w") as f:
        json.dump(config_json(cfg), f, indent=2)
        f.write("\n")
    path = os.path.join(SPHERE_MODEL, "model.safetensors")
    write_safetensors(path, [(k, t, "F16" if k == "wte.weight" else "F32") for k, t in weights.items()])
    check_roundtrip(path, weights)

    values = {}                                  # (layer, site, metric, bucket) → [value]
    travel = {}                                  # (layer, token) → [norms, layer angles, embed angles, log ratios]
    counts = {"documents": 0, "windows": 0, "windows_skipped": 0, "tokens": 0}
    for doc_id, tokens in read_tokens().items():
        usable, skipped = windows(tokens)
        counts["documents"] += 1
        counts["windows"] += len(usable)
        counts["windows_skipped"] += skipped
        for window in usable:
            counts["tokens"] += len(window)
            metrics = window_metrics(cfg, weights, window)
            for (l, site, metric), per_token in metrics.items():
                for t, v in enumerate(per_token):
                    if math.isnan(v):
                        continue
                    values.setdefault((l, site, metric, bucket(t)), []).append(v)
                    if t > 0:
                        values.setdefault((l, site, metric, ALL), []).append(v)
            for l in range(cfg["n_layer"]):
                for t, token in enumerate(window):
                    cell = travel.setdefault((l, token), ([], [], [], []))
                    for column, metric in zip(cell, ("norm", "layer_angle", "embed_angle", "log_ratio")):
                        v = metrics[(l, "resid_post", metric)][t]
                        if not math.isnan(v):
                            column.append(v)

    with open(os.path.join(SPHERE, "expected_stats.csv"), "w") as f:
        f.write("layer,site,metric,position_bucket,count,mean,stddev,min,max\n")
        for l in range(cfg["n_layer"]):
            for site in SITES:
                for metric, sites in METRICS:
                    for b in BUCKETS + [ALL]:
                        v = values.get((l, site, metric, b))
                        if site not in sites or v is None:
                            continue
                        v = np.array(v)
                        f.write(f"{l},{site},{metric},{b},{len(v)},{float(v.mean())!r},{float(v.std())!r},"
                                f"{float(v.min())!r},{float(v.max())!r}\n")
    with open(os.path.join(SPHERE, "expected_travel.csv"), "w") as f:
        f.write("layer,token_id,count,mean_norm,mean_layer_angle,mean_embed_angle,mean_log_ratio\n")
        for (l, token), (norms, layer_angles, embed_angles, log_ratios) in sorted(travel.items()):
            log_ratio = repr(float(np.mean(log_ratios))) if log_ratios else ""
            f.write(f"{l},{token},{len(norms)},{float(np.mean(norms))!r},{float(np.mean(layer_angles))!r},"
                    f"{float(np.mean(embed_angles))!r},{log_ratio}\n")
    with open(os.path.join(SPHERE, "expected_counts.json"), "w") as f:
        json.dump(counts, f, indent=2)
        f.write("\n")
    print(f"sphere: {counts}, {len(values)} stat keys, {len(travel)} travel cells")


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

    if "--tokenize" in sys.argv[1:]:
        write_tokens()
    write_sphere()

    total = 0
    for dirpath, _, files in os.walk(ROOT):
        for f in files:
            total += os.path.getsize(os.path.join(dirpath, f))
    print(f"golden total: {total / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
