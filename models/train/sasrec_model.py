"""SASRec (Kang & McAuley 2018) in PyTorch, with the exact graph the page's engine runs.

Tensor names match docs/ARCHITECTURE.md (they are the safetensors names the engine loads).
Shapes: B = batch, L = window length, d = hidden units, N = item count (ids 1..N, 0 = padding).
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

NEG_FILL = -1e9  # masked attention logits; finite so fully-masked (padding) rows stay finite


class CausalSelfAttention(nn.Module):
    """Multi-head attention with causal + key-padding masks; parameter names as nn.MultiheadAttention."""

    def __init__(self, d: int, heads: int, dropout: float):
        super().__init__()
        assert d % heads == 0, "hidden units must divide by heads"
        self.d, self.heads = d, heads
        self.in_proj_weight = nn.Parameter(torch.empty(3 * d, d))  # [3d, d] rows: Wq, Wk, Wv
        self.in_proj_bias = nn.Parameter(torch.zeros(3 * d))  # [3d]
        self.out_proj = nn.Linear(d, d)  # weight [d, d], bias [d]
        self.dropout = nn.Dropout(dropout)
        nn.init.xavier_uniform_(self.in_proj_weight)

    def forward(self, q_in, kv_in, key_valid):
        """q_in, kv_in: [B, L, d]; key_valid: [B, L] bool → [B, L, d] (query i sees valid keys j ≤ i)."""
        B, L, d = q_in.shape
        hd = d // self.heads
        wq, wk, wv = self.in_proj_weight.split(d, dim=0)
        bq, bk, bv = self.in_proj_bias.split(d, dim=0)
        q = F.linear(q_in, wq, bq).view(B, L, self.heads, hd).transpose(1, 2)  # [B, H, L, hd]
        k = F.linear(kv_in, wk, bk).view(B, L, self.heads, hd).transpose(1, 2)  # [B, H, L, hd]
        v = F.linear(kv_in, wv, bv).view(B, L, self.heads, hd).transpose(1, 2)  # [B, H, L, hd]
        logits = q @ k.transpose(-1, -2) / math.sqrt(hd)  # [B, H, L, L]
        causal = torch.ones(L, L, dtype=torch.bool, device=q_in.device).tril()  # [L, L]
        allowed = causal[None, None] & key_valid[:, None, None, :]  # [B, 1, L, L]
        weights = self.dropout(torch.softmax(logits.masked_fill(~allowed, NEG_FILL), dim=-1))
        out = (weights @ v).transpose(1, 2).reshape(B, L, d)  # [B, L, d]
        return self.out_proj(out)


class PointWiseFeedForward(nn.Module):
    """x + fc2(dropout(relu(fc1(x)))) with dropout on the output, as in the reference SASRec."""

    def __init__(self, d: int, dropout: float):
        super().__init__()
        self.fc1, self.fc2 = nn.Linear(d, d), nn.Linear(d, d)  # weights [d, d]
        self.drop1, self.drop2 = nn.Dropout(dropout), nn.Dropout(dropout)

    def forward(self, x):  # [B, L, d] → [B, L, d]
        return x + self.drop2(self.fc2(self.drop1(torch.relu(self.fc1(x)))))


class SASRec(nn.Module):
    """Self-attentive sequential recommender; `positions` is 'from_start' or 'right_aligned'."""

    def __init__(self, item_count, hidden=50, blocks=2, heads=1, max_len=200, dropout=0.2, positions="from_start"):
        super().__init__()
        self.item_count, self.hidden, self.max_len, self.positions = item_count, hidden, max_len, positions
        self.item_emb = nn.Embedding(item_count + 1, hidden, padding_idx=0)  # [N+1, d]
        self.pos_emb = nn.Embedding(max_len, hidden)  # [maxLen, d]
        self.emb_dropout = nn.Dropout(dropout)
        self.attention_layernorms = nn.ModuleList([nn.LayerNorm(hidden, eps=1e-8) for _ in range(blocks)])
        self.attention_layers = nn.ModuleList([CausalSelfAttention(hidden, heads, dropout) for _ in range(blocks)])
        self.forward_layernorms = nn.ModuleList([nn.LayerNorm(hidden, eps=1e-8) for _ in range(blocks)])
        self.forward_layers = nn.ModuleList([PointWiseFeedForward(hidden, dropout) for _ in range(blocks)])
        self.last_layernorm = nn.LayerNorm(hidden, eps=1e-8)
        for name, p in self.named_parameters():
            if p.dim() > 1 and "in_proj" not in name:
                nn.init.xavier_normal_(p)
        with torch.no_grad():
            self.item_emb.weight[0].zero_()

    def position_ids(self, seqs):
        """seqs [B, L] (from_start: left-aligned, 0-padded on the right; right_aligned: padded on the left) → [B, L]."""
        B, L = seqs.shape
        base = torch.arange(L, device=seqs.device)[None].expand(B, L)
        if self.positions == "from_start":
            return base
        return base + (self.max_len - L)  # right_aligned windows always end at position maxLen-1

    def hidden_states(self, seqs):
        """seqs [B, L] item ids → final hidden states [B, L, d] (padding rows are meaningless)."""
        valid = seqs > 0  # [B, L]
        x = self.item_emb(seqs) * math.sqrt(self.hidden) + self.pos_emb(self.position_ids(seqs))
        x = self.emb_dropout(x) * valid.unsqueeze(-1)
        for ln_a, attn, ln_f, ffn in zip(
            self.attention_layernorms, self.attention_layers, self.forward_layernorms, self.forward_layers
        ):
            q = ln_a(x)
            x = q + attn(q, x, valid)
            x = ffn(ln_f(x)) * valid.unsqueeze(-1)
        return self.last_layernorm(x)

    def forward(self, seqs):
        """seqs [B, L] → [B, L, d]; what DistributedDataParallel wraps."""
        return self.hidden_states(seqs)

    def last_hidden(self, seqs):
        """The hidden state of each row's last real item: [B, d] (from_start: index len-1; right_aligned: L-1)."""
        h = self.hidden_states(seqs)  # [B, L, d]
        if self.positions == "right_aligned":
            return h[:, -1]
        last = (seqs > 0).sum(1).clamp(min=1) - 1  # [B]
        return h[torch.arange(h.shape[0]), last]

    def all_scores(self, h):
        """h [..., d] → scores over every item row [..., N+1] (row 0 = padding)."""
        return h @ self.item_emb.weight.t()


class LastScores(nn.Module):
    """ONNX wrapper: one unpadded history [1, L] → scores of the next item [1, N+1]."""

    def __init__(self, model: SASRec):
        super().__init__()
        self.model = model

    def forward(self, history):
        return self.model.all_scores(self.model.hidden_states(history)[:, -1])
