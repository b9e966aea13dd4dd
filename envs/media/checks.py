"""State checks for what a declaration of effects cannot say by itself."""

from synth_verifiers.state import diff_table


def check_new_playlist(outcome, params):
    """The titles added to playlists all went into the one playlist the task created (its id is not known
    beforehand)."""
    lists, _, _ = diff_table(outcome.initial, outcome.db, "playlists")
    items, _, _ = diff_table(outcome.initial, outcome.db, "playlist_items")
    new = {p["id"] for p in lists}
    stray = sorted(i["title_id"] for i in items if i["playlist_id"] not in new)
    if stray:
        return False, [f"titles {stray} were added to an existing playlist instead of the new one"]
    return True, []
