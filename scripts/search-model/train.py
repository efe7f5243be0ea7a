"""Trains QLP's code-search model: one static token-vector table (a model2vec-style embedding).

A text's vector is the sum of its terms' rows, each weighted by 1 + ln(count), L2-normalised; the
same table embeds queries and code. Training is contrastive (InfoNCE over in-batch negatives, both
directions) on (description terms, code terms) pairs made by extractPairs.ts. Rows start as random
unit vectors scaled by the term's idf, so the untrained table is a random projection of tf-idf
(lexical matching); training moves related description words and code terms together. The
chosen epoch is the one with the best MRR@10 on the development packages' pairs. The table is
written int8-quantised with one scale per row (format: docs/search-model.md).

Usage: python3 train.py <work folder> <output folder> [options]; the defaults are the shipped model's.
Needs only PyTorch (Debian's python3-torch); runs on one thread.
"""
import argparse
import json
import math
import os
import random
import struct
import sys
import time

import torch

torch.set_num_threads(1)

MAGIC = b"QLPSM1\x00\x00"


def read_pairs(path):
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            p = json.loads(line)
            out.append((p["q"].split(), p["c"].split(), p["pkg"]))
    return out


def build_vocab(pairs, min_count, max_size):
    counts = {}
    docs = {}
    for q, c, _ in pairs:
        for t in q + c:
            counts[t] = counts.get(t, 0) + 1
        for t in set(q) | set(c):
            docs[t] = docs.get(t, 0) + 1
    kept = [t for t, n in counts.items() if n >= min_count]
    kept.sort(key=lambda t: (-counts[t], t))
    kept = kept[:max_size]
    n_texts = 2 * len(pairs)
    idf = [math.log(1 + (n_texts + 1) / (docs[t] + 1)) for t in kept]
    return kept, idf


def bag(tokens, index):
    """Distinct known terms and their weights 1 + ln(count) (what the run-time embedder does)."""
    counts = {}
    for t in tokens:
        i = index.get(t)
        if i is not None:
            counts[i] = counts.get(i, 0) + 1
    ids = list(counts.keys())
    return ids, [1.0 + math.log(counts[i]) for i in ids]


def batch_tensors(bags):
    ids, weights, offsets = [], [], []
    for b_ids, b_w in bags:
        offsets.append(len(ids))
        ids.extend(b_ids)
        weights.extend(b_w)
    return torch.tensor(ids, dtype=torch.long), torch.tensor(offsets, dtype=torch.long), torch.tensor(weights, dtype=torch.float32)


class StaticEmbedder(torch.nn.Module):
    def __init__(self, idf, dims, seed, separate, init_scale=1.0):
        super().__init__()
        g = torch.Generator().manual_seed(seed)
        base = torch.randn(len(idf), dims, generator=g)
        base = base / base.norm(dim=1, keepdim=True) * torch.tensor(idf).unsqueeze(1) * init_scale
        self.code = torch.nn.EmbeddingBag(len(idf), dims, mode="sum", sparse=True)
        self.code.weight.data.copy_(base)
        self.query = None
        if separate:
            self.query = torch.nn.EmbeddingBag(len(idf), dims, mode="sum", sparse=True)
            self.query.weight.data.copy_(base)
        self.log_scale = torch.nn.Parameter(torch.tensor(math.log(20.0)))

    def embed(self, tensors, side):
        table = self.query if side == "query" and self.query is not None else self.code
        ids, offsets, weights = tensors
        v = table(ids, offsets, per_sample_weights=weights)
        return torch.nn.functional.normalize(v, dim=1)


def crop(q, rng, p):
    """Short queries from long descriptions: a random run of 3-8 terms, with probability p."""
    if len(q) <= 4 or rng.random() >= p:
        return q
    n = rng.randint(3, min(8, len(q)))
    s = rng.randint(0, len(q) - n)
    return q[s : s + n]


def drop(b, rng, p):
    """Code-side term dropout: each distinct term is left out with probability p (one is always kept)."""
    if p <= 0 or len(b[0]) <= 1:
        return b
    keep = [i for i in range(len(b[0])) if rng.random() >= p] or [0]
    return [b[0][i] for i in keep], [b[1][i] for i in keep]


def batches(train, rng, size, group):
    """Index batches. With group > 0 each batch is made of runs of `group` pairs from one package,
    so most negatives come from the same code base, as in a search within one workspace."""
    if group <= 0:
        order = list(range(len(train)))
        rng.shuffle(order)
        return [order[s : s + size] for s in range(0, len(order) - size + 1, size)]
    by_package = {}
    for i, p in enumerate(train):
        by_package.setdefault(p[2], []).append(i)
    runs = []
    for ids in by_package.values():
        rng.shuffle(ids)
        runs.extend(ids[s : s + group] for s in range(0, len(ids), group))
    rng.shuffle(runs)
    flat = [i for run in runs for i in run]
    return [flat[s : s + size] for s in range(0, len(flat) - size + 1, size)]


def mrr_at_10(model, pairs, index):
    """Each description against every code of its own package (a search within one code base):
    MRR@10 and hit@10 of its own code."""
    by_package = {}
    for p in pairs:
        by_package.setdefault(p[2], []).append(p)
    rr_all, hit_all = [], []
    with torch.no_grad():
        for group in by_package.values():
            q = model.embed(batch_tensors([bag(p[0], index) for p in group]), "query")
            c = model.embed(batch_tensors([bag(p[1], index) for p in group]), "code")
            sims = q @ c.T
            rank = (sims > sims.diagonal().unsqueeze(1)).sum(dim=1) + 1
            rr_all.append(torch.where(rank <= 10, 1.0 / rank.float(), torch.zeros(len(group))))
            hit_all.append((rank <= 10).float())
    return torch.cat(rr_all).mean().item(), torch.cat(hit_all).mean().item()


def quantize(weight):
    """int8 rows with one float32 scale each: row ≈ scale · int8."""
    scale = weight.abs().max(dim=1).values.clamp(min=1e-12) / 127.0
    q = torch.round(weight / scale.unsqueeze(1)).clamp(-127, 127).to(torch.int8)
    return q, scale


def write_model(out_dir, vocab, weight, meta):
    os.makedirs(out_dir, exist_ok=True)
    q, scale = quantize(weight)
    with open(os.path.join(out_dir, "weights.bin"), "wb") as f:
        f.write(MAGIC)
        f.write(struct.pack("<II", weight.shape[0], weight.shape[1]))
        f.write(struct.pack(f"<{len(scale)}f", *scale.tolist()))
        f.write(q.contiguous().numpy().tobytes())
    with open(os.path.join(out_dir, "vocab.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(vocab) + "\n")
    with open(os.path.join(out_dir, "model.json"), "w", encoding="utf-8") as f:
        json.dump(meta, f, indent=2)
        f.write("\n")
    return q.to(torch.float32) * scale.unsqueeze(1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("work")
    ap.add_argument("out")
    ap.add_argument("--dims", type=int, default=256)
    ap.add_argument("--epochs", type=int, default=12)
    ap.add_argument("--batch", type=int, default=512)
    ap.add_argument("--lr", type=float, default=0.01)
    ap.add_argument("--min-count", type=int, default=2)
    ap.add_argument("--max-vocab", type=int, default=60000)
    ap.add_argument("--crop", type=float, default=0.5)
    ap.add_argument("--init-scale", type=float, default=1.0, help="the starting rows' norm, times the term's idf")
    ap.add_argument("--names", type=int, default=0, help="add this many name pairs (a definition's name against its code)")
    ap.add_argument("--group", type=int, default=64, help="runs of this many pairs from one package per batch (0: random batches)")
    ap.add_argument("--drop", type=float, default=0.0, help="code-side term dropout while training")
    ap.add_argument("--separate", action="store_true", help="separate query and code tables (an experiment)")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()

    started = time.time()
    rng = random.Random(args.seed)
    train = read_pairs(os.path.join(args.work, "pairs-train.jsonl"))
    doc_pairs = len(train)
    if args.names:
        names = read_pairs(os.path.join(args.work, "pairs-names.jsonl"))
        random.Random(args.seed).shuffle(names)
        train += names[: args.names]
    dev = read_pairs(os.path.join(args.work, "pairs-dev.jsonl"))
    vocab, idf = build_vocab(train, args.min_count, args.max_vocab)
    index = {t: i for i, t in enumerate(vocab)}
    print(f"pairs: {doc_pairs} description and {len(train) - doc_pairs} name pairs for training, {len(dev)} development; vocabulary {len(vocab)}", flush=True)

    model = StaticEmbedder(idf, args.dims, args.seed, args.separate, args.init_scale)
    tables = [p for n, p in model.named_parameters() if n != "log_scale"]
    opt = torch.optim.SparseAdam(tables, lr=args.lr)
    opt_scale = torch.optim.Adam([model.log_scale], lr=0.01)
    code_bags = [bag(p[1], index) for p in train]

    heldout_file = os.path.join(args.work, "pairs-heldout.jsonl")
    heldout = read_pairs(heldout_file) if os.path.exists(heldout_file) else []
    heldout0 = mrr_at_10(model, heldout, index) if heldout else None
    dev0 = mrr_at_10(model, dev, index)
    print(f"epoch 0 (idf-weighted random projection): dev MRR@10 {dev0[0]:.4f} hit@10 {dev0[1]:.4f}", flush=True)
    best = (dev0[0], 0, {k: v.clone() for k, v in model.state_dict().items()})
    history = [{"epoch": 0, "devMrr10": round(dev0[0], 4), "devHit10": round(dev0[1], 4)}]
    for epoch in range(1, args.epochs + 1):
        total = 0.0
        steps = 0
        for idx in batches(train, rng, args.batch, args.group):
            q = model.embed(batch_tensors([bag(crop(train[i][0], rng, args.crop), index) for i in idx]), "query")
            c = model.embed(batch_tensors([drop(code_bags[i], rng, args.drop) for i in idx]), "code")
            logits = (q @ c.T) * model.log_scale.exp().clamp(max=100)
            labels = torch.arange(len(idx))
            loss = (torch.nn.functional.cross_entropy(logits, labels) + torch.nn.functional.cross_entropy(logits.T, labels)) / 2
            opt.zero_grad()
            opt_scale.zero_grad()
            loss.backward()
            opt.step()
            opt_scale.step()
            total += loss.item()
            steps += 1
        d = mrr_at_10(model, dev, index)
        history.append({"epoch": epoch, "loss": round(total / steps, 4), "devMrr10": round(d[0], 4), "devHit10": round(d[1], 4)})
        print(f"epoch {epoch}: loss {total / steps:.4f} dev MRR@10 {d[0]:.4f} hit@10 {d[1]:.4f} scale {model.log_scale.exp().item():.1f} ({time.time() - started:.0f} s)", flush=True)
        if d[0] > best[0]:
            best = (d[0], epoch, {k: v.clone() for k, v in model.state_dict().items()})

    model.load_state_dict(best[2])
    seconds = time.time() - started
    print(f"best epoch {best[1]}: dev MRR@10 {best[0]:.4f}; {seconds:.0f} s", flush=True)
    if args.no_write or args.separate:
        return
    meta = {
        "format": "qlp-static-embedding/1",
        "dimensions": args.dims,
        "vocabulary": len(vocab),
        "pooling": "sum of rows weighted by 1 + ln(count) over distinct terms, then L2-normalised",
        "tokenizer": "language-server/src/index/tokens.ts terms()",
        "training": {
            "pairs": doc_pairs,
            "namePairs": len(train) - doc_pairs,
            "developmentPairs": len(dev),
            "epochs": args.epochs,
            "bestEpoch": best[1],
            "batch": args.batch,
            "learningRate": args.lr,
            "minCount": args.min_count,
            "queryCrop": args.crop,
            "codeDropout": args.drop,
            "packageRuns": args.group,
            "initScale": args.init_scale,
            "seed": args.seed,
            "seconds": round(seconds),
            "torch": torch.__version__,
            "history": history,
        },
    }
    dequant = write_model(args.out, vocab, model.code.weight.data, meta)
    model.code.weight.data.copy_(dequant)
    d = mrr_at_10(model, dev, index)
    meta["training"]["devMrr10Int8"] = round(d[0], 4)
    if heldout:
        # Reported only: the held-out packages' doc comments against their code, never used to choose.
        h = mrr_at_10(model, heldout, index)
        meta["training"]["heldoutDocPairs"] = {
            "pairs": len(heldout),
            "untrained": {"mrr10": round(heldout0[0], 4), "hit10": round(heldout0[1], 4)},
            "trained": {"mrr10": round(h[0], 4), "hit10": round(h[1], 4)},
        }
        print(f"held-out packages' doc pairs ({len(heldout)}): MRR@10 {h[0]:.4f} hit@10 {h[1]:.4f}", flush=True)
    with open(os.path.join(args.out, "model.json"), "w", encoding="utf-8") as f:
        json.dump(meta, f, indent=2)
        f.write("\n")
    print(f"int8 table: dev MRR@10 {d[0]:.4f} hit@10 {d[1]:.4f}; written to {args.out}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
