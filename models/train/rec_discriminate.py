"""Item discrimination (issue 4's "title <-> genres" task, RecExplainer): the item token must name its
item's genres. With `--discriminate-weight W` every rec_seq.py step adds W x the target-token loss of

    BOS ids("item:") <item token> ids("genres:")  ->  " Action, Sci-Fi."   (the item's MovieLens genres)

on `--discriminate-batch` items, drawn in seeded shuffled passes over the TRAINING items (a seeded 90 %
of the SASRec model's items; the other 10 % are held out). Every check logs the discrimination accuracy on
up to `--discriminate-probes` held-out items: the model's mean per-token log-likelihood of the item's own
genre text against the genre texts of 4 other items with other genres (chance 0.20). The item token
stands for the title: its row is the projection of the item's SASRec embedding (and genre flags with
--genres), so the task ties the item token to the item's content as PALR / RecExplainer do.
"""
import numpy as np
import torch

from explain_tune import target_logp
from rec_joint import ShuffledPasses
from rec_seq_select import read_movies

HELD_OUT = 0.1  # share of items whose genres are never trained
DISTRACTORS = 4


def add_discriminate_args(parser):
    """--discriminate-weight, --discriminate-batch, --discriminate-probes (rec_seq.py's options)."""
    parser.add_argument("--discriminate-weight", type=float, default=0.0, help="weight of the item "
                        "discrimination loss (rec_discriminate.py); 0 = off")
    parser.add_argument("--discriminate-batch", type=int, default=8, help="items per step")
    parser.add_argument("--discriminate-probes", type=int, default=100, help="held-out items scored per check")


class DiscriminationTask(ShuffledPasses):
    """Item token -> genre text: data, seeded batch order, loss and per-check accuracy."""

    def __init__(self, genre_texts, frames, base_vocab, batch, probes, seed):
        """genre_texts [N + 1]: tokenized genre text per item id (None at 0 and for items without genres);
        frames: {"item:", "genres:"} token ids."""
        super().__init__(seed)
        self.texts = genre_texts
        self.frames, self.base_vocab, self.batch = frames, base_vocab, batch
        ids = [i for i, t in enumerate(genre_texts) if t]
        order = self.rng.permutation(len(ids))
        cut = int(len(ids) * HELD_OUT)
        self.held = [ids[k] for k in sorted(order[:cut])][:probes]
        self.train = [ids[k] for k in sorted(order[cut:])]

    @classmethod
    def from_args(cls, args, pieces, base_vocab, encode):
        """The task rec_seq.py's options ask for (genres from --genres' movies.csv), or None."""
        if args.discriminate_weight <= 0:
            return None
        if not args.genres:
            raise SystemExit("DiscriminateNeedsGenres: --discriminate-weight needs --genres <movies.csv>")
        keys, rows = read_movies(args.sasrec, args.genres)
        texts = [None] + [genre_text(rows[k]["genres"], pieces, encode) for k in keys]
        frames = {f: encode(pieces, f) for f in ("item:", "genres:")}
        return cls(texts, frames, base_vocab, args.discriminate_batch, args.discriminate_probes, args.seed + 2)

    def row(self, item, text):
        """{prompt, target} of item `item` with genre tokens `text`."""
        prompt = [1] + self.frames["item:"] + [self.base_vocab + item - 1] + self.frames["genres:"]
        return {"prompt": prompt, "target": text}

    def loss(self, model):
        """Target-token loss [scalar, with grad] on the next batch of training items."""
        items = [self.train[k] for k in self.take(len(self.train), self.batch)]
        total, count = target_logp(model, [self.row(i, self.texts[i]) for i in items])
        return -total.sum() / count.sum()

    @torch.no_grad()
    def check(self, model):
        """{"discriminationAccuracy"}: share of held-out items whose own genre text has the highest mean
        token log-likelihood among it and 4 other items' different genre texts (seeded, same every check)."""
        model.eval()
        rng = np.random.default_rng(0)
        hits = 0
        for item in self.held:
            others = [t for t in (self.texts[j] for j in rng.permutation(self.train)[:40]) if t != self.texts[item]]
            options = [self.texts[item]] + others[:DISTRACTORS]
            total, count = target_logp(model, [self.row(item, t) for t in options])  # [O], [O]
            hits += int((total / count).argmax() == 0)
        return {"discriminationAccuracy": round(hits / max(1, len(self.held)), 4)}

    def summary(self, untuned, final):
        """rec.json's "discriminate" entry."""
        return {"task": "item token -> its genre text (rec_discriminate.py)", "trainItems": len(self.train),
                "heldOutProbes": len(self.held), "chance": 1 / (DISTRACTORS + 1), "untuned": untuned, "kept": final}


def genre_text(genres, pieces, encode):
    """MovieLens "Action|Sci-Fi" -> tokens of "Action, Sci-Fi."; None without genres."""
    names = [g for g in genres.split("|") if g != "(no genres listed)"]
    return encode(pieces, ", ".join(names) + ".") if names else None
