"""Streaming catalogue: movies and albums, artists, genres, user ratings, licensing windows by region, libraries
and playlists."""

from synth.env import EnvTemplate, VariantSpace

from .phrasings import PHRASINGS
from .tasks import MediaTasks
from .tools import MediaTools
from .world import MediaWorld


class MediaEnv(MediaWorld, MediaTools, MediaTasks, EnvTemplate):
    name = "media"
    version = "2.0.0"
    category = "media catalogue"
    description = (
        "A streaming service's catalogue: movies and albums with artists, genres, runtimes and user "
        "ratings, licensing windows by region and plan tier, and each user's library and playlists. Look "
        "things up, add titles to libraries and playlists, and record ratings."
    )
    variants = VariantSpace(
        optional_tools=("list_genres", "get_artist", "check_availability"),
        renames={
            "search_titles": ("find_titles", "catalogue_search"),
            "add_to_playlist": ("playlist_add",),
            "get_user": ("user_profile",),
        },
        rules={
            "playlist_cap": "A playlist may hold at most 10 titles.",
            "no_classics_in_playlists": "Titles released before 1990 may not be added to playlists.",
        },
        scales=("small", "medium", "large"),
    )
    phrasings = PHRASINGS
