"""Rec-tune stories260K as a second next-item model (LoRA + item-token projection), for re-ranking SASRec.

Why not rec_tune.py's listwise task: its training prefixes come from the split SASRec was trained on, so
SASRec's candidates put the target near the top and the LLM can only learn to copy SASRec (its rec loss
stayed near ln 50 in 12 minutes: one signal per 120-token prompt). Here the LLM reads only the history
(prompt "history": BOS + "history:" + last <= 50 item tokens) and is trained like SASRec: at EVERY item
position, full softmax over all item tokens for the next item (≈ 50 signals per window), on random windows
of the TRAINING split. It never sees SASRec's scores, so it is a second, different sequence model; the
pipeline fuses z(SASRec) + w · log-softmax(LLM logits over SASRec's top-C), w and the checkpoint chosen on
the VALIDATION split. Keep-language samples (next-token loss on text the frozen base wrote) as in rec_tune.

usage: OPENBLAS_NUM_THREADS=1 /usr/bin/python3 models/train/rec_seq.py --sasrec models/<sasrec id>
  --base <stories260K.bin> --tokenizer <tok512.bin> --out <run dir> [options]
"""
import argparse
import copy
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

import rec_seq_checkpoint as checkpoint
from llama_ref import load
from rec_data import HISTORY, PROMPTS, load_sasrec, pad
from rec_discriminate import DiscriminationTask, add_discriminate_args
from rec_joint import ExplainTask, add_explain_args
from rec_llama import RecLlama, add_lora_args, encode, read_tokenizer
from rec_seq_select import average_states, genre_flags, hold_out, item_inputs, weight_table, year_flags
from rec_tune import build_examples, export, sample_text
from sasrec_data import leave_one_out, read_sequences

PROMPT = "history"


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    for name in ("--sasrec", "--base", "--tokenizer", "--out"):
        p.add_argument(name, required=True)
    p.add_argument("--id", default="")
    p.add_argument("--sequences", default="", help="`user item` file the SASRec model was trained on "
                   "(default: <sasrec>/checkpoints/sequences.txt, written by npm run train:sasrec)")
    p.add_argument("--candidates", type=int, default=50)
    add_lora_args(p, batch=32)
    p.add_argument("--steps", type=int, default=3000)
    p.add_argument("--eval-every", type=int, default=200, help="steps between validation checks (best kept)")
    p.add_argument("--select", choices=["ndcg", "loss", "last"], default="ndcg",
                   help="checkpoint kept: best validation fused NDCG@10, lowest validation next-item loss over all "
                   "items, or the last step (with --cosine: the end of the schedule, no selection on validation)")
    p.add_argument("--dropout", type=float, default=0.0, help="input-embedding dropout while training")
    p.add_argument("--cosine", action="store_true", help="cosine learning-rate decay to 0 over --steps")
    p.add_argument("--lm-weight", type=float, default=0.1, help="weight of the keep-language loss")
    p.add_argument("--max-minutes", type=float, default=15)
    p.add_argument("--stop-step", type=int, default=0, help="stop after this step (the schedule still spans "
                   "--steps: repeats a run that its --max-minutes stopped, independent of the machine's speed)")
    p.add_argument("--limit-valid", type=int, default=0, help="validation users used (0: all)")
    p.add_argument("--holdout", type=int, default=0, help="last K training positions per user left out of the "
                   "LLM's windows and added to the selection set (rec_seq_select.py)")
    p.add_argument("--swa", type=int, default=0, help="keep the mean of the last N checkpoints' weights (with "
                   "--select last)")
    p.add_argument("--genres", default="", help="movies.csv: genre flags join the item-token projection's input")
    p.add_argument("--years", default="", help="movies.csv: release-year bins join the item-token projection's input")
    p.add_argument("--label-smoothing", type=float, default=0.0)
    p.add_argument("--history", type=int, default=HISTORY, help="history items in the prompt (historyTokens)")
    add_explain_args(p)
    add_discriminate_args(p)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--resume", action="store_true", help="continue from <out>/checkpoint.pt (written at every "
                   "check; rec_seq_checkpoint.py) if there is one, else start afresh")
    return p.parse_args(argv)


def window_batch(train_seqs, rng, batch, frame, base_vocab, history=HISTORY):
    """Random windows of the training split → (tokens [B, T], targets [B, T] item ids, 0 = no loss).

    Each row: BOS + frame + up to `history` input items; the target at an input item's position is the item
    that followed it (the window ends at a random cut, so every position of a history is trained)."""
    users = rng.choice(len(train_seqs), size=batch)
    rows, goals = [], []
    for u in users:
        s = train_seqs[u]
        end = int(rng.integers(1, len(s)))  # last target index
        items = s[max(0, end - history):end + 1]
        lead = [1] + frame
        rows.append(lead + [base_vocab + i - 1 for i in items[:-1]])
        goals.append([0] * len(lead) + list(items[1:]))
    width = max(len(r) for r in rows)
    tokens = torch.zeros(batch, width, dtype=torch.long)
    targets = torch.zeros(batch, width, dtype=torch.long)
    for i, (r, g) in enumerate(zip(rows, goals)):
        tokens[i, :len(r)] = torch.tensor(r)
        targets[i, :len(g)] = torch.tensor(g)
    return tokens, targets


def next_item_loss(model, tokens, targets, dropout=0.0, smoothing=0.0):
    """Mean cross-entropy over all item tokens at the positions with a target; tokens/targets [B, T].
    `dropout` drops input-embedding features (training only; the classifier rows stay whole)."""
    items = model.item_rows()  # [N, dim]
    table = F.dropout(torch.cat([model.base["emb"], items], 0), dropout, model.training)  # [vocab + N, dim]
    hs = model.hidden(tokens, table)  # [B, T, dim]
    keep = targets > 0  # [B, T]
    logits = hs[keep] @ items.T  # [K, N]
    return F.cross_entropy(logits, targets[keep] - 1, label_smoothing=smoothing)


@torch.no_grad()
def selection_pass(model, examples, frame, limit=HISTORY, batch=64):
    """One forward per selection case → (candidate logits [n, C], mean next-item loss over all item tokens);
    examples: rec_tune.build_examples rows (history, candidates, target index, SASRec scores)."""
    model.eval()
    items = model.item_rows()  # [N, dim]
    parts, total = [], 0.0
    for i in range(0, len(examples), batch):
        part = examples[i:i + batch]
        rows = [PROMPTS[PROMPT]({"history:": frame}, h, [], model.base_vocab, limit) for h, _, _, _ in part]
        tokens, lengths = pad(rows)
        logits = model.hidden(tokens)[torch.arange(len(part)), lengths - 1] @ items.T  # [B, N]
        cands = torch.tensor([c for _, c, _, _ in part]) - 1  # [B, C]
        parts.append(logits.gather(1, cands))
        targets = torch.tensor([c[t] if t >= 0 else -1 for _, c, t, _ in part])  # [B] item ids, -1 = unknown
        total += F.cross_entropy(logits, targets.clamp(min=1) - 1, reduction="none")[targets > 0].sum().item()
    return torch.cat(parts), total / max(1, sum(t >= 0 for _, _, t, _ in examples))


def validate(model, sel, args):
    """(selection score, higher = better: best fused NDCG@10 over the w grid, or −loss with --select loss),
    best w, table, loss, bootstrap of best w − SASRec, table on the validation cases alone) on the selection
    set `sel` = {"examples", "sas" [n, C], "target", "users" [n], "valid" (mask [n] of validation cases)}."""
    logits, loss = selection_pass(model, sel["examples"], args.frames["history:"], args.history)
    w, table, boot = weight_table(sel["sas"], logits, sel["target"], sel["users"])
    m = sel["valid"]
    _, valid_table, _ = weight_table(sel["sas"][m], logits[m], [t for t, k in zip(sel["target"], m) if k],
                                     sel["users"][m.numpy()], draws=1)
    return (-loss if args.select == "loss" else table[str(w)]["ndcg10"]), w, table, loss, boot, valid_table


def task_checks(model, tasks):
    """The figures of every side task at a check (one dict)."""
    return {k: v for _, task in tasks.values() for k, v in task.check(model).items()}


def side_tasks(args, model, pieces):
    """{name: (weight, task)} of the side tasks the options ask for (the explanation task, item discrimination)."""
    tasks = {"explain": (args.explain_weight, ExplainTask.from_args(args)),
             "discriminate": (args.discriminate_weight, DiscriminationTask.from_args(args, pieces, model.base_vocab,
                                                                                    encode))}
    return {name: pair for name, pair in tasks.items() if pair[1] is not None}


def train(model, train_seqs, sel, text, args, log, tasks=None):
    """Adam steps on random windows; every eval-every steps the selection check keeps the best state (or,
    with --select last, the last one; with --swa N, the mean of the last N checked states). `tasks`
    ({name: (weight, task)}: rec_joint.ExplainTask, rec_discriminate.DiscriminationTask) add weight x their
    loss to every step and their figures to every check."""
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.Adam(params, lr=args.lr)
    decay = (lambda s: 0.5 * (1 + np.cos(np.pi * min(s / args.steps, 1.0)))) if args.cosine else (lambda s: 1.0)
    schedule = torch.optim.lr_scheduler.LambdaLR(opt, decay)
    rng = np.random.default_rng(args.seed)
    usable = [s for s in train_seqs if len(s) >= 2]
    best = (validate(model, sel, args)[0], 0, copy.deepcopy(model.state_dict()))
    recent = []  # the last --swa checked states
    print(f"step 0: selection score ({args.select}) {best[0]:.4f}", flush=True)
    done, spent = 0, 0.0  # steps and training seconds of the run so far (a resumed run continues both)
    tasks = tasks or {}
    resumed = checkpoint.load(args.out, model, opt, schedule, rng, tasks, args.options) if args.resume else None
    if resumed:
        done, spent, recent, best, log[:] = resumed
        print(f"resumed after step {done} ({spent:.0f} s)", flush=True)
    started = time.time() - spent
    for step in range(done + 1, args.steps + 1):
        model.train()
        tokens, targets = window_batch(usable, rng, args.batch, args.frames["history:"], model.base_vocab, args.history)
        rec = next_item_loss(model, tokens, targets, args.dropout, args.label_smoothing)
        lm = model.lm_loss(text[torch.from_numpy(rng.choice(len(text), size=8, replace=False))])
        loss = rec + args.lm_weight * lm
        for weight, task in tasks.values():
            loss = loss + weight * task.loss(model)
        opt.zero_grad()
        loss.backward()
        opt.step()
        schedule.step()
        out_of_time = time.time() - started > args.max_minutes * 60 or step == args.stop_step
        if step % args.eval_every == 0 or step == args.steps or out_of_time:
            score, w, table, loss, boot, valid_table = validate(model, sel, args)
            log.append({"step": step, "rec": round(rec.item(), 4), "lm": round(lm.item(), 4),
                        "selectionLoss": round(loss, 4), "selectionNdcg10": table[str(w)]["ndcg10"], "w": w,
                        "selectionSasrec": table["0.0"]["ndcg10"], "delta95": [round(boot["low"], 4),
                                                                              round(boot["high"], 4)],
                        "validNdcg10AtW": valid_table[str(w)]["ndcg10"], "validSasrec": valid_table["0.0"]["ndcg10"],
                        **task_checks(model, tasks), "seconds": round(time.time() - started, 1)})
            print(log[-1], flush=True)
            recent = (recent + [copy.deepcopy(model.state_dict())])[-max(1, args.swa):]
            if score > best[0] or args.select == "last":
                best = (score, step, copy.deepcopy(model.state_dict()))
            checkpoint.save(args.out, step, time.time() - started, model, opt, schedule, rng, tasks, recent, best,
                            log, args.options)
        if out_of_time:
            break
    model.load_state_dict(average_states(recent) if args.swa and args.select == "last" else best[2])
    return best[1]


def selection_set(sasrec, train_seqs, valid_cases, args):
    """(LLM training sequences, selection set for validate) — see rec_seq_select.py for what is held out."""
    kept, held = hold_out(train_seqs, args.holdout)
    users = {u for u, _, _ in valid_cases}  # --limit-valid limits the held-out cases to the same users
    cases = [c for c in held if c[0] in users] + list(valid_cases)
    examples = build_examples(sasrec, [(h, t) for _, h, t in cases], args.candidates)
    return kept, {"examples": examples, "sas": torch.stack([s for _, _, _, s in examples]),  # [n, C]
                  "target": [t for _, _, t, _ in examples], "users": np.array([u for u, _, _ in cases]),
                  "valid": torch.tensor([False] * (len(cases) - len(valid_cases)) + [True] * len(valid_cases))}


def main(argv=None):
    args = parse_args(argv)
    args.options = {k: v for k, v in vars(args).items() if k not in ("resume", "max_minutes", "stop_step")}
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
    train_seqs, valid_cases, _ = leave_one_out(seqs)  # the test cases are never read here
    if args.limit_valid:
        valid_cases = valid_cases[:args.limit_valid]
    cfg, w = load(args.base)
    _, pieces = read_tokenizer(args.tokenizer)
    args.frames = {"history:": encode(pieces, "history:")}
    items = sasrec.item_emb.weight.detach()  # [N + 1, d]
    content = [read(args.sasrec, path) for read, path in ((genre_flags, args.genres), (year_flags, args.years)) if path]
    if content:
        items = item_inputs(items, torch.cat(content, 1), float(items[1:].std()))  # [N + 1, d + F]
    model = RecLlama(cfg, w, items, r=args.r, alpha=args.alpha)
    text = sample_text(model, 48, 48, torch.Generator().manual_seed(args.seed))  # [48, 48] keep-language rows
    llm_train, sel = selection_set(sasrec, train_seqs, valid_cases, args)
    print(f"{len(llm_train)} training sequences, {len(sel['target'])} selection cases "
          f"({int(sel['valid'].sum())} validation)", flush=True)
    untuned = validate(model, sel, args)
    tasks = side_tasks(args, model, pieces)
    untuned_tasks = {name: task.check(model) for name, (_, task) in tasks.items()}
    if tasks:
        print(f"side tasks, untuned: {untuned_tasks}", flush=True)
    log = []
    best_step = train(model, llm_train, sel, text, args, log, tasks)
    torch.save(model.state_dict(), os.path.join(args.out, "state.pt"))  # the trained LoRA + projection (re-analysis)
    _, best_w, table, _, boot, valid_table = validate(model, sel, args)
    recall = sum(t >= 0 for t in sel["target"]) / len(sel["target"])
    print(f"best step {best_step}; selection recall@{args.candidates} {recall:.4f}; w = {best_w}: "
          f"{table[str(best_w)]}; sasrec: {table['0.0']}; delta {boot}; validation alone: "
          f"{valid_table[str(best_w)]} vs {valid_table['0.0']}", flush=True)
    export(model, args, sas_manifest, {
        "prompt": PROMPT, "fusionWeight": best_w, "historyTokens": args.history,
        "validation": {"recallAtCandidates": recall, "byWeight": table, "untunedBestWeight": untuned[1],
                       "untuned": untuned[2][str(untuned[1])], "bestStep": best_step, "cases": len(sel["target"]),
                       "heldOutPerUser": args.holdout, "deltaNdcg10": boot, "validationCasesByWeight": valid_table},
        **{name: task.summary(untuned_tasks[name], task.check(model)) for name, (_, task) in tasks.items()},
        "steps": log[-1]["step"] if log else 0, "log": log})


if __name__ == "__main__":
    main()
