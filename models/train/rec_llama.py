"""stories260K with item tokens and LoRA, for rec-tuning (PyTorch, CPU).

The base LLaMA comes from llama_ref.py (the reference our runtime matches). Item tokens: one extra
vocabulary row per catalog item (token id = base vocab + item id - 1); its embedding is a small MLP
projection of the FROZEN SASRec item embedding. The classifier is tied, so an item token's logit at a
position is h · E_item. LoRA (A [r, in], B [out, r], scale alpha / r, B starts at zero) on
q, k, v, o, gate (w1), up (w3), down (w2) of every layer; the base stays frozen.
"""
import json
import struct

import torch
import torch.nn as nn
import torch.nn.functional as F

from llama_ref import rms_norm, rope

# PEFT module name → (llama_ref weight key, out dim key, in dim key)
LORA_MODULES = {
    "q_proj": ("wq", "dim", "dim"), "k_proj": ("wk", "kv_dim", "dim"), "v_proj": ("wv", "kv_dim", "dim"),
    "o_proj": ("wo", "dim", "dim"), "gate_proj": ("w1", "hidden", "dim"), "up_proj": ("w3", "hidden", "dim"),
    "down_proj": ("w2", "dim", "hidden"),
}
ATTN_MODULES = ("q_proj", "k_proj", "v_proj", "o_proj")


class RecLlama(nn.Module):
    """LLaMA (frozen base weights `w` from llama_ref.load) + LoRA + item-token projection."""

    def __init__(self, cfg, w, sasrec_items, r=8, alpha=16, proj_hidden=128):
        super().__init__()
        self.cfg, self.r, self.alpha = cfg, r, alpha
        self.scale = alpha / r
        self.base_vocab = w["emb"].shape[0]
        dims = {"dim": cfg["dim"], "kv_dim": cfg["kv_heads"] * cfg["head"], "hidden": w["w1"].shape[1]}
        self.base = {k: v.detach() for k, v in w.items()}  # frozen tensors (not parameters)
        self.register_buffer("sasrec_items", sasrec_items[1:].clone())  # [N, d_sasrec] (row 0 = padding dropped)
        d_s = sasrec_items.shape[1]
        self.proj = nn.Sequential(nn.Linear(d_s, proj_hidden), nn.SiLU(), nn.Linear(proj_hidden, cfg["dim"]))
        gen = torch.Generator().manual_seed(7)
        self.lora = nn.ParameterDict()
        for layer in range(cfg["layers"]):
            for name, (_, out_key, in_key) in LORA_MODULES.items():
                a = torch.randn(r, dims[in_key], generator=gen) / dims[in_key] ** 0.5  # [r, in]
                self.lora[f"{layer}_{name}_A"] = nn.Parameter(a)
                self.lora[f"{layer}_{name}_B"] = nn.Parameter(torch.zeros(dims[out_key], r))  # [out, r]

    def item_rows(self):
        """[N, dim] item-token embeddings (= extra rows of the tied token table)."""
        return self.proj(self.sasrec_items)

    def table(self):
        """[base vocab + N, dim] the full token table (input embeddings and tied classifier)."""
        return torch.cat([self.base["emb"], self.item_rows()], 0)

    def weight(self, layer, name):
        """Merged weight W + scale · B · A [out, in] of one adapted module."""
        key = LORA_MODULES[name][0]
        a, b = self.lora[f"{layer}_{name}_A"], self.lora[f"{layer}_{name}_B"]
        return self.base[key][layer] + self.scale * (b @ a)

    def hidden(self, tokens, table=None):
        """tokens [B, T] (right-padded; padding never reaches a real position through the causal mask) →
        final-normed hidden states [B, T, dim]."""
        cfg = self.cfg
        table = self.table() if table is None else table
        B, T = tokens.shape
        h, kvh, hd = cfg["heads"], cfg["kv_heads"], cfg["head"]
        x = table[tokens]  # [B, T, dim]
        positions = torch.arange(T)
        mask = torch.full((T, T), float("-inf")).triu(1)  # [T, T]
        for l in range(cfg["layers"]):
            a = rms_norm(x, self.base["att_norm"][l])
            q = rope((a @ self.weight(l, "q_proj").T).reshape(B, T, h, hd), positions, hd)
            k = rope((a @ self.weight(l, "k_proj").T).reshape(B, T, kvh, hd), positions, hd)
            v = (a @ self.weight(l, "v_proj").T).reshape(B, T, kvh, hd)
            k = k.repeat_interleave(h // kvh, dim=2)  # [B, T, h, hd]
            v = v.repeat_interleave(h // kvh, dim=2)
            scores = torch.einsum("bqhd,bkhd->bhqk", q, k) / hd ** 0.5 + mask
            att = torch.einsum("bhqk,bkhd->bqhd", scores.softmax(-1), v).reshape(B, T, h * hd)
            x = x + att @ self.weight(l, "o_proj").T
            f = rms_norm(x, self.base["ffn_norm"][l])
            gate = F.silu(f @ self.weight(l, "gate_proj").T) * (f @ self.weight(l, "up_proj").T)
            x = x + gate @ self.weight(l, "down_proj").T
        return rms_norm(x, self.base["norm"])

    def candidate_logits(self, tokens, lengths, candidates):
        """tokens [B, T], lengths [B], candidates [B, C] item ids → logits [B, C] at each row's last token."""
        table = self.table()
        hs = self.hidden(tokens, table)  # [B, T, dim]
        last = hs[torch.arange(tokens.shape[0]), lengths - 1]  # [B, dim]
        rows = table[candidates + self.base_vocab - 1]  # [B, C, dim]
        return torch.einsum("bd,bcd->bc", last, rows)

    def lm_loss(self, tokens):
        """Next-token cross-entropy over the base vocabulary on text tokens [B, T] (keep-language)."""
        hs = self.hidden(tokens)  # [B, T, dim]
        logits = hs[:, :-1] @ self.base["emb"].T  # [B, T-1, base vocab]
        return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), tokens[:, 1:].reshape(-1))


def add_lora_args(parser, batch):
    """--r, --alpha (LoRA rank and alpha), --lr, --batch (Adam): the options every rec trainer shares."""
    parser.add_argument("--r", type=int, default=8)
    parser.add_argument("--alpha", type=float, default=16)
    parser.add_argument("--lr", type=float, default=3e-3)
    parser.add_argument("--batch", type=int, default=batch)


def read_tokenizer(path):
    """llama2.c tokenizer file → (max_len, [(score, piece bytes)])."""
    raw = open(path, "rb").read()
    max_len = struct.unpack_from("<i", raw, 0)[0]
    at, out = 4, []
    while at < len(raw):
        score, n = struct.unpack_from("<fi", raw, at)
        out.append((score, raw[at + 8:at + 8 + n]))
        at += 8 + n
    return max_len, out


def encode(pieces, text):
    """llama2.c BPE (SentencePiece dummy prefix, best-score merges; no byte fallback needed for ASCII frames)."""
    index = {p: i for i, (_, p) in enumerate(pieces)}
    ids = [index[c.encode()] for c in " " + text]
    while True:
        best = None
        for i in range(len(ids) - 1):
            merged = index.get(pieces[ids[i]][1] + pieces[ids[i + 1]][1])
            if merged is not None and (best is None or pieces[merged][0] > pieces[best[1]][0]):
                best = (i, merged)
        if best is None:
            return ids
        ids[best[0]:best[0] + 2] = [best[1]]


def write_tokenizer(path, max_len, pieces, item_count):
    """Base pieces + one piece "<i{id}>" per item (score -1e9: BPE can never build it from text)."""
    items = [(-1e9, f"<i{i}>".encode()) for i in range(1, item_count + 1)]
    all_pieces = pieces + items
    with open(path, "wb") as f:
        f.write(struct.pack("<i", max(max_len, max(len(p) for _, p in all_pieces))))
        for score, p in all_pieces:
            f.write(struct.pack("<fi", score, len(p)) + p)


def write_extended_base(path, base_path, item_rows):
    """llama2.c v0 file = the base checkpoint with `item_rows` [N, dim] appended to the (shared) token table."""
    raw = open(base_path, "rb").read()
    header = list(struct.unpack("<7i", raw[:28]))
    vocab, dim = header[5], header[0]
    assert vocab > 0, "the base must have a shared classifier"
    emb_bytes = vocab * dim * 4
    header[5] = vocab + item_rows.shape[0]
    with open(path, "wb") as f:
        f.write(struct.pack("<7i", *header))
        f.write(raw[28:28 + emb_bytes])
        f.write(item_rows.detach().float().contiguous().numpy().tobytes())
        f.write(raw[28 + emb_bytes:])


def adapter_tensors(model):
    """PEFT names → LoRA A [r, in] / B [out, r] tensors (pair RoPE layout, as the base stores Wq/Wk)."""
    out = {}
    for layer in range(model.cfg["layers"]):
        for name in LORA_MODULES:
            group = "self_attn" if name in ATTN_MODULES else "mlp"
            for half in "AB":
                key = f"base_model.model.model.layers.{layer}.{group}.{name}.lora_{half}.weight"
                out[key] = model.lora[f"{layer}_{name}_{half}"].detach().float()
    return out


def trainable_state(model):
    """{name: detached copy} of the parameters being tuned (LoRA, item projection; the frozen base is not)."""
    return {k: v.detach().clone() for k, v in model.named_parameters() if v.requires_grad}


def write_adapter_config(path, r, alpha):
    """PEFT-style adapter_config.json of our LoRA (q, k, v, o, gate, up, down; pair RoPE layout), which
    `npm run model:merge` reads next to the adapter."""
    with open(path, "w") as f:
        json.dump({"r": r, "lora_alpha": alpha, "peft_type": "LORA", "rope_layout": "meta (llama2.c pairs)",
                   "target_modules": list(LORA_MODULES)}, f, indent=1)
