from verifiers.answers import has_number, mentioned, mentions_exactly, numbers_in, only_number, yes_no


def test_numbers_are_parsed_from_prose():
    assert numbers_in("It costs 1,234.50 EUR, rated 8.5 and -3 off") == [1234.5, 8.5, -3.0]
    assert numbers_in("flight AB123") == []
    assert has_number("the total is 42.004", 42.0)
    assert not has_number("the total is 43", 42.0)


def test_only_number_rejects_hedging():
    assert only_number("Rating: 8.5", 8.5)
    assert not only_number("either 8.5 or 9.1", 8.5)
    assert not only_number(None, 8.5) and not only_number("", 0)


def test_names_shadowing_and_exactness():
    candidates = ["Grand Hotel", "Grand Hotel Plaza", "Park Inn"]
    assert mentioned("Book the Grand Hotel Plaza.", candidates) == {"Grand Hotel Plaza"}
    assert mentions_exactly("grand hotel", ["Grand Hotel"], candidates)
    assert not mentions_exactly("Grand Hotel or Park Inn", ["Grand Hotel"], candidates)
    assert not mentions_exactly(None, ["Grand Hotel"], candidates)


def test_yes_no():
    assert yes_no("Yes, it is.") is True
    assert yes_no("No.") is False
    assert yes_no("yes and no") is None and yes_no(None) is None


def test_diff_table_reports_added_removed_and_changed_rows():
    import sqlite3

    from verifiers.state import diff_table

    before = sqlite3.connect(":memory:")
    before.executescript("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, qty INTEGER);"
                         "INSERT INTO t VALUES (1, 'a', 1), (2, 'b', 2), (3, 'c', 3);")
    after = sqlite3.connect(":memory:")
    before.backup(after)
    assert diff_table(before, after, "t") == ([], [], [])
    after.executescript("DELETE FROM t WHERE id = 1; UPDATE t SET qty = 9 WHERE id = 3; INSERT INTO t VALUES (4, 'd', 4);")
    added, removed, changed = diff_table(before, after, "t")
    assert added == [{"id": 4, "name": "d", "qty": 4}]
    assert removed == [{"id": 1, "name": "a", "qty": 1}]
    assert changed == [{"id": 3, "name": "c", "qty": 9}]
