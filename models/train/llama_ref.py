"""Independent PyTorch reference for llama2.c checkpoints (v0 fp32 .bin) and F32 GGUF "llama" /
"qwen2" files (gguf_read.py): logits and greedy tokens.

Written from the LLaMA-2 architecture description (not from our TypeScript): RMSNorm, RoPE on
adjacent pairs via complex multiplication, grouped-query attention with a causal mask, SwiGLU FFN,
tied or separate classifier; for GGUF files also rope theta / eps from the file, Llama 3.x
rope_freqs divisors, qwen2's q/k/v biases and NEOX (rotate-half) rope. Writes goldens that
test/llm/pytorch-goldens.test.ts (and, with --gguf, test/llm/arch-pytorch.test.ts) compare to.

usage: /usr/bin/python3 models/train/llama_ref.py --model <stories260K.bin> --out <goldens.json>
       /usr/bin/python3 models/train/llama_ref.py --gguf <a.gguf> [<b.gguf> …] --out <goldens.json>
"""
import hashlib
import os
import argparse
import json
import struct

import torch

from gguf_read import load_gguf

PROMPTS = [
    # BOS + "Once upon a time, there was a little girl named Lily." (tok512.bin ids)
    [1, 403, 407, 261, 378, 432, 383, 286, 261, 376, 298, 315, 421, 395, 317, 426],
    [1, 261, 376, 298],
]
GREEDY_STEPS = 60
# fixed prompt for the --gguf random-weight fixtures (ids < their vocabulary of 64)
GGUF_PROMPT = [1, 17, 5, 42, 9, 63, 2, 30, 11, 7, 50, 3]


def load(path):
    raw = open(path, "rb").read()
    dim, hidden, layers, heads, kv_heads, vocab, seq_len = struct.unpack("<7i", raw[:28])
    shared = vocab > 0
    vocab = abs(vocab)
    floats = torch.frombuffer(bytearray(raw[28:]), dtype=torch.float32)
    head = dim // heads
    kv_dim = kv_heads * head
    cursor = 0

    def take(*shape):
        nonlocal cursor
        count = 1
        for s in shape:
            count *= s
        out = floats[cursor:cursor + count].reshape(shape).clone()
        cursor += count
        return out

    w = {"emb": take(vocab, dim), "att_norm": take(layers, dim), "wq": take(layers, dim, dim),
         "wk": take(layers, kv_dim, dim), "wv": take(layers, kv_dim, dim), "wo": take(layers, dim, dim),
         "ffn_norm": take(layers, dim), "w1": take(layers, hidden, dim), "w2": take(layers, dim, hidden),
         "w3": take(layers, hidden, dim), "norm": take(dim)}
    take(seq_len, head)  # legacy RoPE tables (2 x [seq_len, head/2])
    w["cls"] = w["emb"] if shared else take(vocab, dim)
    cfg = dict(dim=dim, layers=layers, heads=heads, kv_heads=kv_heads, head=head)
    return cfg, w


def rms_norm(x, weight, eps=1e-5):
    return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps) * weight


def rope(x, positions, head, theta=10000.0, factors=None, neox=False):
    # x [n, h, head]: pairs (2j, 2j+1) as complex numbers times e^{i·pos·theta^(-2j/head)/factors[j]};
    # neox (qwen2): the pairs are (j, j + head/2) instead (rotate-half)
    freqs = theta ** (-torch.arange(0, head, 2, dtype=torch.float64) / head)
    if factors is not None:
        freqs = freqs / factors.double()
    angles = positions[:, None].double() * freqs[None, :]
    rot = torch.polar(torch.ones_like(angles), angles)[:, None, :]
    if neox:
        halves = x.double().reshape(*x.shape[:-1], 2, head // 2).transpose(-1, -2).contiguous()
        turned = torch.view_as_real(torch.view_as_complex(halves) * rot)  # [n, h, head/2, 2]
        return turned.transpose(-1, -2).reshape(x.shape).float()
    pairs = torch.view_as_complex(x.double().reshape(*x.shape[:-1], head // 2, 2).contiguous())
    return torch.view_as_real(pairs * rot).reshape(x.shape).float()


def forward(cfg, w, tokens):
    n = len(tokens)
    h, kvh, hd = cfg["heads"], cfg["kv_heads"], cfg["head"]
    x = w["emb"][torch.tensor(tokens)]
    positions = torch.arange(n)
    mask = torch.full((n, n), float("-inf")).triu(1)
    eps, theta = cfg.get("eps", 1e-5), cfg.get("theta", 10000.0)
    turn = dict(theta=theta, factors=cfg.get("rope_factors"), neox=cfg.get("neox", False))
    bias = lambda name, l: w[name][l] if name in w else 0.0
    for l in range(cfg["layers"]):
        a = rms_norm(x, w["att_norm"][l], eps)
        q = rope((a @ w["wq"][l].T + bias("bq", l)).reshape(n, h, hd), positions, hd, **turn)
        k = rope((a @ w["wk"][l].T + bias("bk", l)).reshape(n, kvh, hd), positions, hd, **turn)
        v = (a @ w["wv"][l].T + bias("bv", l)).reshape(n, kvh, hd)
        k = k.repeat_interleave(h // kvh, dim=1)
        v = v.repeat_interleave(h // kvh, dim=1)
        scores = torch.einsum("qhd,khd->hqk", q, k) / hd ** 0.5 + mask
        att = torch.einsum("hqk,khd->qhd", scores.softmax(-1), v).reshape(n, h * hd)
        x = x + att @ w["wo"][l].T
        f = rms_norm(x, w["ffn_norm"][l], eps)
        x = x + (torch.nn.functional.silu(f @ w["w1"][l].T) * (f @ w["w3"][l].T)) @ w["w2"][l].T
    return rms_norm(x, w["norm"], eps) @ w["cls"].T


def gguf_goldens(paths):
    """Logits [n, vocab] of GGUF_PROMPT for each F32 GGUF file, with the file's sha256."""
    files = []
    for path in paths:
        cfg, w = load_gguf(path)
        logits = forward(cfg, w, GGUF_PROMPT)
        files.append({"name": os.path.basename(path), "sha256": hashlib.sha256(open(path, "rb").read()).hexdigest(),
                      "tokens": GGUF_PROMPT, "logits": [[float("%.7g" % v) for v in row] for row in logits.tolist()]})
    return {"source": "models/train/llama_ref.py --gguf (PyTorch %s)" % torch.__version__, "files": files}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model")
    parser.add_argument("--gguf", nargs="+", help="F32 GGUF llama/qwen2 files: logits of GGUF_PROMPT")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    torch.set_num_threads(1)
    if args.gguf:
        with torch.no_grad():
            goldens = gguf_goldens(args.gguf)
        with open(args.out, "w") as f:
            json.dump(goldens, f, separators=(",", ":"))
        return
    if not args.model:
        parser.error("give --model <llama2.c .bin> or --gguf <file.gguf> …")
    cfg, w = load(args.model)
    with torch.no_grad():
        prompts = [{"tokens": p, "logits": [[float("%.7g" % v) for v in row] for row in forward(cfg, w, p).tolist()]}
                   for p in PROMPTS]
        greedy = [1]
        for _ in range(GREEDY_STEPS):
            greedy.append(int(forward(cfg, w, greedy)[-1].argmax()))
    out = {"model": "stories260K.bin", "source": "models/train/llama_ref.py (PyTorch %s)" % torch.__version__,
           "prompts": prompts, "greedy_from_bos": greedy[1:]}
    with open(args.out, "w") as f:
        json.dump(out, f, separators=(",", ":"))


if __name__ == "__main__":
    main()
