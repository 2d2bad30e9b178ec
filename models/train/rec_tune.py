"""Rec-tune stories260K to re-rank SASRec's top-C candidates with item tokens (LoRA + item projection).

Trains on prefixes of the TRAINING split only (listwise cross-entropy over the candidates when SASRec
retrieved the target) plus keep-language samples (next-token loss on text the frozen base wrote);
picks the fusion weight w (z-normalised SASRec score + w * LLM log-softmax over the candidates) on the
VALIDATION split; writes a PEFT adapter, the base with item-token rows appended, the tokenizer with
item pieces, goldens and rec.json into --out. The merge/quantise CLIs then make the GGUF files.

usage: OPENBLAS_NUM_THREADS=1 /usr/bin/python3 models/train/rec_tune.py --sasrec models/<sasrec id>
  --base <stories260K.bin> --tokenizer <tok512.bin> --out models/<id> [options]
"""
import argparse
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

from llama_ref import load
from rec_data import FRAMES, PROMPTS, load_sasrec, pad, prompt_tokens, sasrec_candidates, training_prefixes
from rec_llama import (RecLlama, add_lora_args, adapter_tensors, encode, read_tokenizer, write_adapter_config,
                       write_extended_base, write_tokenizer)
from sasrec_data import leave_one_out, read_sequences
from sasrec_export import write_safetensors

W_GRID = [0.0, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 5.0]


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    for name in ("--sasrec", "--base", "--tokenizer", "--out"):
        p.add_argument(name, required=True)
    p.add_argument("--id", default="")
    p.add_argument("--sequences", default="", help="`user item` file the SASRec model was trained on "
                   "(default: <sasrec>/checkpoints/sequences.txt, written by npm run train:sasrec)")
    p.add_argument("--candidates", type=int, default=50)
    p.add_argument("--per-user", type=int, default=12, help="training prefixes per user")
    add_lora_args(p, batch=32)
    p.add_argument("--epochs", type=int, default=2)
    p.add_argument("--lm-weight", type=float, default=0.2, help="weight of the keep-language loss")
    p.add_argument("--max-minutes", type=float, default=12)
    p.add_argument("--residual", action="store_true",
                   help="train the fused score at w = 1 (z(SASRec) + LLM log-softmax): the LLM learns what SASRec misses")
    p.add_argument("--align", action="store_true",
                   help="RecExplainer alignment: label = SASRec's own top item, candidates shown in a seeded shuffled order")
    p.add_argument("--seed", type=int, default=42)
    return p.parse_args(argv)


@torch.no_grad()
def sample_text(model, count, length, gen):
    """[count, length] token ids the frozen base writes from BOS (temperature 1), before any tuning."""
    tokens = torch.ones(count, 1, dtype=torch.long)
    for _ in range(length - 1):
        logits = model.hidden(tokens)[:, -1] @ model.base["emb"].T  # [count, base vocab]
        tokens = torch.cat([tokens, torch.multinomial(logits.softmax(-1), 1, generator=gen)], 1)
    return tokens


def build_examples(sasrec, pairs, count):
    """(history, target) pairs → [(history, candidates, target index or -1, SASRec scores)]."""
    cands, scores = sasrec_candidates(sasrec, [h for h, _ in pairs], count)
    out = []
    for (h, t), c, s in zip(pairs, cands.tolist(), scores):
        out.append((h, c, c.index(t) if t in c else -1, s))
    return out


def align_examples(examples, rng):
    """RecExplainer alignment examples: each example's candidates (and SASRec scores) in a seeded shuffled
    order, target = where SASRec's own top item (candidate 0) landed."""
    out = []
    for h, c, _, s in examples:
        order = rng.permutation(len(c))
        out.append((h, [c[i] for i in order], int(np.argmin(order)), s[torch.from_numpy(order)]))
    return out


def batch_logits(model, examples, frames, prompt=prompt_tokens):
    """LLM logits [B, C] of each example's candidates at the last position of `prompt` (rec_data.PROMPTS)."""
    rows = [prompt(frames, h, c, model.base_vocab) for h, c, _, _ in examples]
    tokens, lengths = pad(rows)
    cands = torch.tensor([c for _, c, _, _ in examples])  # [B, C]
    return model.candidate_logits(tokens, lengths, cands)  # [B, C]


def fused(sasrec_scores, llm_logits, w):
    """z-normalised SASRec scores + w · log-softmax of the LLM logits over the candidates; [n, C] each."""
    z = (sasrec_scores - sasrec_scores.mean(1, keepdim=True)) / (sasrec_scores.std(1, keepdim=True) + 1e-6)
    return z + w * llm_logits.log_softmax(1)


def ranking_metrics(scores, target_index):
    """NDCG@10 / HR@10 when the target sits at target_index in each row (-1: not retrieved → 0)."""
    ndcg = hr = 0.0
    for row, t in zip(scores, target_index):
        if t < 0:
            continue
        rank = int((row > row[t]).sum() + ((row == row[t]).sum() - 1))  # pessimistic ties
        if rank < 10:
            hr += 1
            ndcg += 1 / math.log2(rank + 2)
    n = len(target_index)
    return {"ndcg10": ndcg / n, "hr10": hr / n}


def select_weight(model, examples, frames, batch, prompt=prompt_tokens):
    """LLM logits on the validation examples → (best w, table of metrics per w, recall@C)."""
    model.eval()
    with torch.no_grad():
        logits = torch.cat([batch_logits(model, examples[i:i + batch], frames, prompt)
                            for i in range(0, len(examples), batch)])
    sas = torch.stack([s for _, _, _, s in examples])  # [n, C]
    target = [t for _, _, t, _ in examples]
    table = {str(w): ranking_metrics(fused(sas, logits, w), target) for w in W_GRID}
    best = max(W_GRID, key=lambda w: (table[str(w)]["ndcg10"], -w))
    return best, table, sum(t >= 0 for t in target) / len(target)


def train(model, examples, text, args, log):
    params = [p for n, p in model.named_parameters() if p.requires_grad]
    opt = torch.optim.Adam(params, lr=args.lr)
    gen = np.random.default_rng(args.seed)
    started, step = time.time(), 0
    usable = [e for e in examples if e[2] >= 0]
    for epoch in range(args.epochs):
        order = gen.permutation(len(usable))
        for i in range(0, len(order), args.batch):
            model.train()
            part = [usable[j] for j in order[i:i + args.batch]]
            logits = batch_logits(model, part, args.frames)  # [B, C]
            if args.residual:
                logits = fused(torch.stack([s for _, _, _, s in part]), logits, 1.0)  # [B, C]
            rec = F.cross_entropy(logits, torch.tensor([t for _, _, t, _ in part]))
            rows = text[torch.from_numpy(gen.choice(len(text), size=8, replace=False))]
            lm = model.lm_loss(rows)
            loss = rec + args.lm_weight * lm
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            if step % 10 == 0:
                log.append({"epoch": epoch, "step": step, "rec": round(rec.item(), 4), "lm": round(lm.item(), 4),
                            "seconds": round(time.time() - started, 1)})
                print(log[-1], flush=True)
            if time.time() - started > args.max_minutes * 60:
                return step
    return step


def main(argv=None):
    args = parse_args(argv)
    torch.set_num_threads(1)
    torch.manual_seed(args.seed)
    os.makedirs(args.out, exist_ok=True)
    sasrec, sas_manifest = load_sasrec(args.sasrec)
    sequences = args.sequences or os.path.join(args.sasrec, "checkpoints", "sequences.txt")
    if not os.path.exists(sequences):
        sys.exit(f"SequencesNotFound: {sequences} does not exist (checkpoints/ is not committed). "
                 "Pass --sequences <user item file>, or retrain with npm run train:sasrec to write it.")
    seqs, item_count = read_sequences(sequences)
    assert item_count <= sasrec.item_count, "sequences do not belong to this SASRec model"
    train_seqs, valid, _ = leave_one_out(seqs)  # the test cases are never read here
    cfg, w = load(args.base)
    max_len, pieces = read_tokenizer(args.tokenizer)
    args.frames = {f: encode(pieces, f) for f in FRAMES}
    model = RecLlama(cfg, w, sasrec.item_emb.weight.detach(), r=args.r, alpha=args.alpha)
    for p in model.parameters():
        p.requires_grad_(True)
    gen = torch.Generator().manual_seed(args.seed)
    text = sample_text(model, 48, 48, gen)  # [48, 48] keep-language samples from the untuned base
    pairs = training_prefixes(train_seqs, args.per_user, np.random.default_rng(args.seed))
    examples = build_examples(sasrec, pairs, args.candidates)
    valid_examples = build_examples(sasrec, [(h, t) for _, h, t in valid], args.candidates)
    if args.align:  # the validation cases keep the next-item target (w is picked there as before)
        examples = align_examples(examples, np.random.default_rng(args.seed + 1))
    print(f"{len(examples)} training prefixes ({sum(e[2] >= 0 for e in examples)} with the target retrieved), "
          f"{len(valid_examples)} validation cases", flush=True)
    base_w, base_table, _ = select_weight(model, valid_examples, args.frames, args.batch)
    log = []
    steps = train(model, examples, text, args, log)
    best_w, table, recall = select_weight(model, valid_examples, args.frames, args.batch)
    print(f"valid recall@{args.candidates} {recall:.4f}; w = {best_w}: {table[str(best_w)]}; sasrec: {table['0.0']}")
    export(model, args, sas_manifest, {
        "fusionWeight": best_w, "validation": {"recallAtCandidates": recall, "byWeight": table,
                                                "untunedBestWeight": base_w, "untuned": base_table[str(base_w)]},
        "steps": steps, "trainingPrefixes": len(examples), "log": log})


def export(model, args, sas_manifest, results):
    """adapter.safetensors + adapter_config.json, base-items.bin, tokenizer.bin, goldens.json, rec.json.
    results: rec.json facts (+ "log"; "prompt" names the rec_data.PROMPTS kind, default history+candidates)."""
    out = args.out
    write_safetensors(os.path.join(out, "adapter.safetensors"), adapter_tensors(model))
    write_adapter_config(os.path.join(out, "adapter_config.json"), model.r, model.alpha)
    with torch.no_grad():
        rows = model.item_rows()  # [N, dim]
        write_extended_base(os.path.join(out, "base-items.bin"), args.base, rows)
        max_len, pieces = read_tokenizer(args.tokenizer)
        write_tokenizer(os.path.join(out, "tokenizer.bin"), max_len, pieces, rows.shape[0])
        model.eval()
        make_prompt = PROMPTS[results.get("prompt", "history+candidates")]
        prompt = make_prompt(args.frames, list(range(1, 8)), list(range(20, 70)), model.base_vocab)
        last = model.hidden(torch.tensor([prompt]))[0, -1] @ model.table().T  # [vocab + N]
    json.dump({"source": f"models/train/{os.path.basename(sys.argv[0])} (PyTorch %s, LoRA merged in fp32)" % torch.__version__,
               "prompt": prompt, "lastLogits": [float("%.7g" % v) for v in last.tolist()]},
              open(os.path.join(out, "goldens.json"), "w"), separators=(",", ":"))
    rec = {"id": args.id or os.path.basename(os.path.normpath(out)), "arch": "llama-rec",
           "sasrec": sas_manifest["id"], "baseVocab": model.base_vocab, "itemCount": rows.shape[0],
           "candidates": args.candidates, "historyTokens": 50, "frames": args.frames,
           "lora": {"r": model.r, "alpha": model.alpha}, **{k: v for k, v in results.items() if k != "log"},
           "provenance": {"base": "stories260K (llama2.c, MIT)", "training": "prefixes of the training split only",
                          "command": f"models/train/{os.path.basename(sys.argv[0])} " + " ".join(
                              f"--{k.replace('_', '-')} {v}" for k, v in vars(args).items() if k != "frames")}}
    json.dump(rec, open(os.path.join(out, "rec.json"), "w"), indent=1)
    json.dump(results["log"], open(os.path.join(out, "train-log.json"), "w"))


if __name__ == "__main__":
    main()
