"""A tiny randomly initialised NLI model built in a test (no download, a few kB)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path


def build_tiny_nli_model(
    directory: Path,
    id2label: dict[int, str],
    pairs: Sequence[tuple[str, str]],
    classifier_scale: float = 50.0,
) -> Path:
    """Save a randomly initialised two-layer BERT classifier and its WordPiece tokenizer.

    The vocabulary is the words of ``pairs``; the classifier weights are scaled up by
    ``classifier_scale`` so that the classes are well separated.
    """
    import torch
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors
    from transformers import BertConfig, BertForSequenceClassification, PreTrainedTokenizerFast

    from checker.nli.selfcheck import canary_pairs

    # the self-check's canary pairs are in the vocabulary too, so that they are not all [UNK]
    texts = [f"{p} {h}" for p, h in [*pairs, *canary_pairs()]]
    words = sorted({w.strip(".,").lower() for text in texts for w in text.split()})
    vocab = {t: i for i, t in enumerate(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *words])}
    tok = Tokenizer(models.WordPiece(vocab=vocab, unk_token="[UNK]"))
    tok.normalizer = normalizers.BertNormalizer(lowercase=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]",
        pair="[CLS] $A [SEP] $B:1 [SEP]:1",
        special_tokens=[("[CLS]", vocab["[CLS]"]), ("[SEP]", vocab["[SEP]"])],
    )
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tok,
        unk_token="[UNK]",
        pad_token="[PAD]",
        cls_token="[CLS]",
        sep_token="[SEP]",
        mask_token="[MASK]",
    )
    torch.manual_seed(0)
    config = BertConfig(
        vocab_size=len(vocab),
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=64,
        num_labels=3,
        # wide initial weights: the answers differ from pair to pair, as a working model's do
        # (at BERT's 0.02 every pair gets nearly the same answer and fails the NLI self-check)
        initializer_range=0.2,
        id2label=id2label,
        label2id={v: k for k, v in id2label.items()},
    )
    model = BertForSequenceClassification(config).eval()
    with torch.no_grad():  # make the classes well separated so column checks are meaningful
        model.classifier.weight.mul_(classifier_scale)
    model.save_pretrained(str(directory))
    fast.save_pretrained(str(directory))
    return directory
