"""The search desk's tools: BM25 search and reading, bookmarks, notes and citations."""

from __future__ import annotations

import math
from collections import Counter

from synth.env import tool

from .world import sentences, tokens


class SearchTools:
    # ---- helpers ------------------------------------------------------------------------------------

    def _doc(self, doc_id: str) -> dict:
        return self.one(
            "SELECT * FROM documents WHERE upper(id) = upper(?)",
            doc_id.strip(),
            missing=f"no document {doc_id!r}; document ids look like D0042 (see search results)",
        )

    def _index(self) -> tuple[list[dict], list[Counter], dict[str, int], float]:
        if getattr(self, "_bm25", None) is None:
            docs = self.rows("SELECT id, kind, title, body FROM documents ORDER BY id")
            tfs = [Counter(tokens(d["title"] + " " + d["title"] + " " + d["body"])) for d in docs]
            df: Counter = Counter()
            for tf in tfs:
                df.update(tf.keys())
            self._bm25 = (docs, tfs, dict(df), sum(sum(tf.values()) for tf in tfs) / len(tfs))
        return self._bm25

    def _rules(self) -> dict:
        return {
            "profiles_only": "profiles_only" in self.variant.rules,
            "long_notes": "long_notes" in self.variant.rules,
        }

    # ---- read tools ---------------------------------------------------------------------------------

    @tool("read")
    def search(self, query: str, limit: int = 10, kind: str | None = None) -> list[dict]:
        """Keyword search over all documents, best matches first (BM25). Returns id, kind, title and a snippet.

        Args:
            query: Keywords, e.g. a name or a phrase.
            limit: Most results to return (1-50).
            kind: Only documents of this kind: person, company, city, product, event or news.
        """
        if not 1 <= limit <= 50:
            raise ValueError("limit must be between 1 and 50")
        words = tokens(query)
        if not words:
            raise ValueError("the query has no searchable words")
        docs, tfs, df, avg = self._index()
        n, scored = len(docs), []
        for d, tf in zip(docs, tfs):
            if kind and d["kind"] != kind:
                continue
            length, score = sum(tf.values()), 0.0
            for w in words:
                if tf[w]:
                    idf = math.log(1 + (n - df[w] + 0.5) / (df[w] + 0.5))
                    score += idf * tf[w] * 2.5 / (tf[w] + 1.5 * (0.25 + 0.75 * length / avg))
            if score > 0:
                scored.append((round(score, 4), d))
        scored.sort(key=lambda s: (-s[0], s[1]["id"]))
        out = []
        for score, d in scored[:limit]:
            best = max(sentences(d["body"]), key=lambda s: len(set(tokens(s)) & set(words)))
            out.append({"id": d["id"], "kind": d["kind"], "title": d["title"], "score": score, "snippet": best[:200]})
        return out

    @tool("read")
    def open_document(self, doc_id: str) -> dict:
        """The full text of a document.

        Args:
            doc_id: Document id such as D0042.
        """
        return self._doc(doc_id)

    @tool("read")
    def find_in_document(self, doc_id: str, text: str) -> list[str]:
        """The sentences of a document that contain a piece of text (case-insensitive).

        Args:
            doc_id: Document id.
            text: Text to look for.
        """
        if not text.strip():
            raise ValueError("give some text to look for")
        return [s for s in sentences(self._doc(doc_id)["body"]) if text.strip().lower() in s.lower()]

    @tool("read")
    def list_documents(self, kind: str, offset: int = 0, limit: int = 50) -> dict:
        """Browse document titles of one kind in id order.

        Args:
            kind: person, company, city, product, event or news.
            offset: Titles to skip.
            limit: Most titles to return (1-100).
        """
        if not 1 <= limit <= 100 or offset < 0:
            raise ValueError("limit must be 1-100 and offset >= 0")
        rows = self.rows("SELECT id, title FROM documents WHERE kind = ? ORDER BY id", kind.strip().lower())
        if not rows:
            raise ValueError("unknown kind; use person, company, city, product, event or news")
        return {"kind": kind, "total": len(rows), "documents": rows[offset : offset + limit]}

    @tool("read")
    def list_bookmarks(self) -> list[dict]:
        """Bookmarks made so far, with notes, and citations submitted so far."""
        return self.rows(
            "SELECT 'bookmark' AS type, doc_id, note AS text FROM bookmarks UNION ALL "
            "SELECT 'citation', doc_id, claim FROM citations"
        )

    # ---- write tools --------------------------------------------------------------------------------

    @tool("write")
    def bookmark(self, doc_id: str, note: str) -> dict:
        """Bookmark a document with a note.

        Args:
            doc_id: Document id.
            note: Why the document matters.
        """
        doc = self._doc(doc_id)
        if not note.strip():
            raise ValueError("policy: every bookmark needs a note")
        if self._rules()["long_notes"] and len(note.split()) < 3:
            raise ValueError("policy: bookmark notes must be at least three words long")
        if self.rows("SELECT 1 FROM bookmarks WHERE doc_id = ?", doc["id"]):
            raise ValueError(f"{doc['id']} is already bookmarked")
        bid = self.db.execute("INSERT INTO bookmarks (doc_id, note) VALUES (?, ?)", (doc["id"], note.strip())).lastrowid
        return {"id": bid, "doc_id": doc["id"], "title": doc["title"]}

    @tool("write")
    def remove_bookmark(self, doc_id: str) -> dict:
        """Remove a bookmark.

        Args:
            doc_id: The bookmarked document's id.
        """
        if not self.db.execute("DELETE FROM bookmarks WHERE doc_id = ?", (self._doc(doc_id)["id"],)).rowcount:
            raise ValueError(f"{doc_id} is not bookmarked")
        return {"removed": doc_id}

    @tool("write")
    def save_note(self, title: str, text: str) -> dict:
        """Keep a research note.

        Args:
            title: Short title.
            text: The note.
        """
        if not title.strip() or not text.strip():
            raise ValueError("a note needs a title and text")
        nid = self.db.execute("INSERT INTO notes (title, text) VALUES (?, ?)", (title.strip(), text)).lastrowid
        return {"id": nid, "title": title.strip()}

    @tool("write")
    def submit_citation(self, doc_id: str, claim: str) -> dict:
        """Cite a document as evidence for a claim in your answer (each document once).

        Args:
            doc_id: Document id.
            claim: The claim the document supports, in a sentence.
        """
        doc = self._doc(doc_id)
        if not claim.strip():
            raise ValueError("state the claim the document supports")
        if self._rules()["profiles_only"] and doc["kind"] == "news":
            raise ValueError("policy: cite encyclopedia profiles only, not news articles")
        if self.rows("SELECT 1 FROM citations WHERE doc_id = ?", doc["id"]):
            raise ValueError(f"{doc['id']} is already cited; cite each document once")
        cid = self.db.execute(
            "INSERT INTO citations (doc_id, claim) VALUES (?, ?)", (doc["id"], claim.strip())
        ).lastrowid
        return {"id": cid, "doc_id": doc["id"], "title": doc["title"]}
