"""Scripted replies of a model writing environments (for tests/test_synthesize.py and the figures)."""

from __future__ import annotations

import json

GOOD_ENV = '''import random
from synth.env import EnvTemplate, tool

AUTHORS = ["Ada Lane", "Bo Chen", "Cy Okafor", "Di Ruiz", "Ed Park"]
GENRES = ["mystery", "poetry", "history", "science"]


class BookClub(EnvTemplate):
    name = "{name}"
    version = "1.0.0"
    category = "{category}"
    description = "A book club's shelf: books by authors, and loans to members."
    agent_category = "{agent_category}"
    policy = "A member may hold at most 2 loans."
    synthesized = True

    def build(self, rng: random.Random) -> None:
        self.db.execute("CREATE TABLE authors (id INTEGER PRIMARY KEY, name TEXT)")
        self.db.execute("CREATE TABLE books (id INTEGER PRIMARY KEY, title TEXT, genre TEXT, "
                        "author_id INTEGER REFERENCES authors(id))")
        self.db.execute("CREATE TABLE loans (id INTEGER PRIMARY KEY, book_id INTEGER REFERENCES books(id), "
                        "member TEXT)")
        for a in AUTHORS:
            self.db.execute("INSERT INTO authors (name) VALUES (?)", (a,))
        for i in range(rng.randint(30, 40)):
            self.db.execute("INSERT INTO books (title, genre, author_id) VALUES (?, ?, ?)",
                            (f"Book {{i}}", rng.choice(GENRES), rng.randint(1, len(AUTHORS))))

    @tool("read")
    def list_books(self, genre: str | None = None) -> list[dict]:
        """List books, optionally of one genre.

        Args:
            genre: Only books of this genre.
        """
        return self.rows("SELECT * FROM books WHERE ? IS NULL OR genre = ? ORDER BY id", genre, genre)

    @tool("write")
    def lend_book(self, book_id: int, member: str) -> dict:
        """Lend a book to a member.

        Args:
            book_id: The book's id.
            member: The member's name.
        """
        held = self.rows("SELECT id FROM loans WHERE member = ?", member)
        if len(held) >= 2:
            raise ValueError("a member may hold at most 2 loans")
        self.db.execute("INSERT INTO loans (book_id, member) VALUES (?, ?)", (book_id, member))
        return {{"book_id": book_id, "member": member}}
'''

SAMPLES = {"lend_book": {"book_id": {"sql": "SELECT id FROM books LIMIT 1"}, "member": "Kim"}}


def env_reply(source: str, samples: dict = SAMPLES) -> str:
    return f"Here it is.\n```json\n{json.dumps({'samples': samples})}\n```\n```python\n{source}```\n"


def good_env(name: str = "book_club", category: str = "running a book club", agent_category: str = "general") -> str:
    return env_reply(GOOD_ENV.format(name=name, category=category, agent_category=agent_category))


def syntax_error_env(name: str = "book_club", category: str = "running a book club") -> str:
    return env_reply(
        GOOD_ENV.format(name=name, category=category, agent_category="general").replace(
            "def build(self, rng: random.Random) -> None:", "def build(self, rng: random.Random) -> None"
        )
    )


def crashing_tools_env(name: str = "crashy_club", category: str = "running a crashing book club") -> str:
    source = GOOD_ENV.format(name=name, category=category, agent_category="general").replace(
        'return self.rows("SELECT * FROM books WHERE', 'return 1 / 0 or self.rows("SELECT * FROM books WHERE'
    )
    return env_reply(source)


def hostile_env(port: int, secret: str, name: str = "hostile_club") -> str:
    prelude = f"""import socket
_leaks, _blocked = [], []
try:
    _leaks.append(open({secret!r}).read())
except OSError as exc:
    _blocked.append(repr(exc))
try:
    socket.create_connection(("127.0.0.1", {port}), timeout=2).close()
    _leaks.append("connected")
except OSError as exc:
    _blocked.append(repr(exc))
raise RuntimeError(f"escape attempt: leaks={{_leaks}} blocked={{_blocked}}")
"""
    return env_reply(prelude + GOOD_ENV.format(name=name, category="hostile club", agent_category="general"))


COUNT_TASK = """```json
{"shape": "count_genre", "instruction": "How many poetry books are on the shelf?", "tools": ["list_books"],
 "answer": {"kind": "integer"}}
```
```python expected
def expected(db):
    return len(db.execute("SELECT id FROM books WHERE genre = 'poetry'").fetchall())
```
```python solution
def solve(tools, params):
    return len(tools.list_books(genre="poetry"))
```"""


def is_synthesis(body: dict) -> bool:
    return "You build simulated environments" in (body["messages"][0].get("content") or "")
