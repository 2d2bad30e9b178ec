"""Rec-tuning examples: SASRec candidates for history prefixes and the item-token prompt.

Prompt (token ids, docs/PROMPTS.md "Recommend_Retrieval, item tokens"; PROMPTS names both kinds):
  BOS + ids("history:") + last <= HISTORY item tokens + ids("candidates:") + the SASRec top-C candidate
  item tokens (SASRec order) + ids("next:"); the model's logit of each candidate's item token at the
  last position is its score.
"""
import json
import struct

import numpy as np
import torch

from sasrec_data import window
from sasrec_model import SASRec

HISTORY = 50
FRAMES = ("history:", "candidates:", "next:")


def read_safetensors(path):
    """F32 safetensors → {name: tensor}."""
    raw = open(path, "rb").read()
    n = struct.unpack_from("<Q", raw, 0)[0]
    header = json.loads(raw[8:8 + n])
    out = {}
    for name, e in header.items():
        if name == "__metadata__":
            continue
        a, b = e["data_offsets"]
        out[name] = torch.from_numpy(np.frombuffer(raw[8 + n + a:8 + n + b], dtype="<f4").copy()).reshape(e["shape"])
    return out


def load_sasrec(model_dir):
    """models/<sasrec id> → SASRec in eval mode (weights.safetensors + manifest config)."""
    manifest = json.load(open(f"{model_dir}/manifest.json"))
    c = manifest["config"]
    model = SASRec(c["itemCount"], c["hiddenUnits"], c["blocks"], c["heads"], c["maxLen"], 0.0, c["positions"])
    model.load_state_dict(read_safetensors(f"{model_dir}/weights.safetensors"))
    return model.eval(), manifest


@torch.no_grad()
def sasrec_candidates(model, histories, count, batch=256):
    """histories: list of item lists → (candidates [n, count] item ids, scores [n, count]), history items
    excluded (as the page and the eval harness rank)."""
    cands, scores = [], []
    for start in range(0, len(histories), batch):
        part = histories[start:start + batch]
        rows = torch.from_numpy(np.stack([window(h, model.max_len, model.positions) for h in part]))  # [B, L]
        s = model.all_scores(model.last_hidden(rows))  # [B, N+1]
        s[:, 0] = float("-inf")
        for i, h in enumerate(part):
            s[i, torch.tensor(h)] = float("-inf")
        top = s.topk(count, dim=1)
        cands.append(top.indices)
        scores.append(top.values)
    return torch.cat(cands), torch.cat(scores)


def prompt_tokens(frame_ids, history, candidates, base_vocab):
    """One prompt as token ids (see the module comment); item id i → token base_vocab + i - 1."""
    items = lambda xs: [base_vocab + int(i) - 1 for i in xs]
    return ([1] + frame_ids["history:"] + items(history[-HISTORY:]) + frame_ids["candidates:"] + items(candidates)
            + frame_ids["next:"])


def history_prompt_tokens(frame_ids, history, candidates, base_vocab, limit=HISTORY):
    """The history-only prompt of a next-item model (rec_seq.py; manifest "prompt": "history"): BOS +
    ids("history:") + last <= `limit` item tokens (manifest historyTokens); `candidates` are scored at the
    last position, never shown."""
    del candidates  # same signature as prompt_tokens
    return [1] + frame_ids["history:"] + [base_vocab + int(i) - 1 for i in history[-limit:]]


PROMPTS = {"history+candidates": prompt_tokens, "history": history_prompt_tokens}


def pad(rows):
    """list of token lists → (tokens [B, T] right-padded with 0, lengths [B])."""
    lengths = torch.tensor([len(r) for r in rows])
    out = torch.zeros(len(rows), int(lengths.max()), dtype=torch.long)
    for i, r in enumerate(rows):
        out[i, :len(r)] = torch.tensor(r)
    return out, lengths


def training_prefixes(train_seqs, per_user, rng):
    """(history prefix, target) pairs from the TRAINING split only: per user up to `per_user` cut points."""
    out = []
    for s in train_seqs:
        if len(s) < 2:
            continue
        cuts = rng.choice(np.arange(1, len(s)), size=min(per_user, len(s) - 1), replace=False)
        out.extend((s[:t], s[t]) for t in sorted(cuts))
    return out
