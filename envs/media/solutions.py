"""Reference solutions: tools and computation only (each is stored with the helpers it uses)."""

import itertools

from synth.env import only


def owned(tools, user):
    """Ids of the titles in a user's library."""
    return {t["title_id"] for t in tools.get_user(user=user)["library"]}


def playlist_ok(title, params):
    """A rated title the policy lets into a playlist (no classics when that rule is on)."""
    return title["avg_rating"] is not None and not (
        params["min_playlist_year"] and title["year"] < params["min_playlist_year"]
    )


def solve_title_field(tools, params):
    return only(tools.search_titles(query=params["title"]), title=params["title"])[params["field"]]


def solve_user_region(tools, params):
    return tools.get_user(user=params["user"])["region"]


def solve_top_rated_genre(tools, params):
    pool = [t for t in tools.search_titles(genre=params["genre"]) if t["n_ratings"] >= params["min_n"]]
    return max(pool, key=lambda t: t["avg_rating"])["title"]


def solve_count_streamable(tools, params):
    return len(tools.search_titles(genre=params["genre"], streamable_for=params["user"]))


def solve_artist_avg_rating(tools, params):
    titles = [t for t in tools.search_titles(artist=params["artist"]) if t["n_ratings"]]
    # a title's stars add up to a whole number: its rounded average times its count, rounded, gives it back
    stars = sum(round(t["avg_rating"] * t["n_ratings"]) for t in titles)
    return stars / sum(t["n_ratings"] for t in titles)


def solve_add_best(tools, params):
    mine = owned(tools, params["user"])
    pool = [
        t
        for t in tools.search_titles(artist=params["artist"], streamable_for=params["user"])
        if t["id"] not in mine and t["avg_rating"] is not None
    ]
    best = max(pool, key=lambda t: t["avg_rating"])
    tools.add_to_library(user=params["user"], title_id=best["id"])
    return f"Added {best['title']}"


def solve_rate_artist(tools, params):
    user = tools.get_user(user=params["user"])
    by_artist = {t["id"] for t in tools.search_titles(artist=params["artist"])}
    rated = []
    for item in user["library"]:
        if item["title_id"] in by_artist and item["my_rating"] is None:
            tools.rate_title(user=params["user"], title_id=item["title_id"], stars=params["stars"])
            rated.append(item["title"])
    return f"Rated {rated}"


def solve_build_playlist(tools, params):
    pool = [
        t
        for t in tools.search_titles(
            genre=params["genre"], max_minutes=params["max_minutes"], streamable_for=params["user"]
        )
        if playlist_ok(t, params)
    ]
    pool.sort(key=lambda t: t["avg_rating"], reverse=True)
    playlist = tools.create_playlist(user=params["user"], name=params["name"])
    for t in pool[: params["n"]]:
        tools.add_to_playlist(playlist_id=playlist["playlist_id"], title_id=t["id"])
    return f"Playlist {playlist['playlist_id']}: {[t['title'] for t in pool[: params['n']]]}"


def solve_movie_night(tools, params):
    mine = owned(tools, params["user"])

    def pool(genre):
        return [
            t
            for t in tools.search_titles(genre=genre, streamable_for=params["user"])
            if t["id"] not in mine and playlist_ok(t, params)
        ]

    best = None
    albums = pool(params["album_genre"])
    for two in itertools.combinations(pool(params["movie_genre"]), 2):
        for three in itertools.combinations(albums, 3):
            picks = two + three
            if sum(t["minutes"] for t in picks) <= params["max_minutes"]:
                score = sum(t["avg_rating"] for t in picks)
                if best is None or score > best[0]:
                    best = (score, picks)
    playlist = tools.create_playlist(user=params["user"], name=params["name"])
    for t in best[1]:
        tools.add_to_library(user=params["user"], title_id=t["id"])
        tools.add_to_playlist(playlist_id=playlist["playlist_id"], title_id=t["id"])
    return "Picked " + ", ".join(t["title"] for t in best[1])
