"""C2SP signed notes and checkpoints: Go's sumdb/note test vectors, and refusals that name what is wrong."""

from __future__ import annotations

import base64

import pytest

from store.signed_note import CheckpointText, NoteError, NoteSigner, NoteVerifier, open_checkpoint

# golang.org/x/mod/sumdb/note, note_test.go.
SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n"
SIGNED = (
    TEXT
    + "\n— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
)
ENOCH_SIG = "— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n"


def test_go_vectors() -> None:
    signer = NoteSigner.parse(SKEY)
    assert signer.encode() == SKEY
    assert signer.verifier.encode() == VKEY
    assert NoteVerifier.parse(VKEY) == signer.verifier
    assert signer.sign(TEXT) == SIGNED
    assert NoteVerifier.parse(VKEY).open(SIGNED) == TEXT
    assert NoteVerifier.parse(VKEY).open(SIGNED + ENOCH_SIG) == TEXT  # another key's signature is ignored


def test_a_changed_note_or_signature_is_refused() -> None:
    verifier = NoteVerifier.parse(VKEY)
    with pytest.raises(NoteError, match="does not verify"):
        verifier.open(SIGNED.replace("problem,", "problem;"))
    with pytest.raises(NoteError, match="does not verify"):
        verifier.open(SIGNED[: 60 + len(TEXT)] + "ABCD" + SIGNED[60 + len(TEXT) :])
    with pytest.raises(NoteError, match="not signed by key PeterNeumann"):
        verifier.open(TEXT + "\n" + ENOCH_SIG)
    for bad in (TEXT, TEXT + "\n", "\x01" + SIGNED, SIGNED + "Unexpected line.\n", SIGNED[:-1]):
        with pytest.raises(NoteError):
            verifier.open(bad)


def test_malformed_keys_are_refused() -> None:
    for bad in (VKEY[:-1], VKEY.replace("c74f20a3", "c74f20a4"), "Peter Neumann+c74f20a3+AA==", "a+b"):
        with pytest.raises(NoteError):
            NoteVerifier.parse(bad)
    for bad in (SKEY[:-2], SKEY.replace("PRIVATE", "PUBLIC"), SKEY.replace("c74f20a3", "00000000")):
        with pytest.raises(NoteError):
            NoteSigner.parse(bad)


def test_a_checkpoint_round_trips_and_names_its_log() -> None:
    signer = NoteSigner.generate("skolinspektionen.example/inspections")
    body = CheckpointText(signer.name, 20852163, bytes(range(32)))
    note = signer.sign(body.text())
    assert note.splitlines()[:3] == [signer.name, "20852163", base64.b64encode(bytes(range(32))).decode()]
    assert note.splitlines()[4].startswith("— skolinspektionen.example/inspections ")
    assert open_checkpoint(note, signer.verifier) == body
    other = NoteSigner.generate("another.example/log")
    with pytest.raises(NoteError, match="not signed by key"):
        open_checkpoint(note, other.verifier)
    foreign = other.sign(CheckpointText(signer.name, 1, bytes(32)).text())
    with pytest.raises(NoteError, match="not signed by key skolinspektionen"):
        open_checkpoint(foreign, signer.verifier)
    for text in ("o\n01\nAA==\n", "o\n1\nAA==\n", "o\n1\n", "o\n-1\n" + base64.b64encode(bytes(32)).decode() + "\n"):
        with pytest.raises(NoteError):
            CheckpointText.parse(text)
