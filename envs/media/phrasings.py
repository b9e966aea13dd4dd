"""How each task shape is asked (Jinja2; several phrasings per shape)."""

PHRASINGS = {
    "title_year": [
        "In which year was {{title}} released?",
        "What is the release year of {{title}}?",
    ],
    "title_artist": [
        "Who is the artist behind {{title}}?",
        "Which artist made {{title}}?",
        "Tell me who created the title {{title}}.",
    ],
    "user_region": [
        "Which region is the user {{user}} in?",
        "In what region does {{user}} stream from?",
    ],
    "top_rated_genre": [
        "Which {{genre}} {{kind}} has the highest average rating among those with at least {{min_n}} ratings?",
        "Among {{genre}} {{kind}}s rated by at least {{min_n}} users, which one has the best average rating?",
    ],
    "count_streamable": [
        "How many {{genre}} titles can {{user}} stream today?",
        "Count the {{genre}} titles that are available to {{user}} right now, given their region and plan.",
    ],
    "artist_avg_rating": [
        "What is the average star rating over all ratings of titles by {{artist}}? Round to the nearest tenth.",
        "Taking every rating any user gave to a title by {{artist}}, what is the mean number of stars, to the "
        "nearest tenth?",
    ],
    "add_best": [
        "Add to {{user}}'s library the highest-rated {{kind}} by {{artist}} that they can stream today and do not "
        "already have.",
        "{{user}} wants the best-rated {{kind}} from {{artist}} that is streamable for them today and not yet in "
        "their library. Add it.",
    ],
    "rate_artist": [
        "{{user}} wants to give {{stars}} stars to every title by {{artist}} in their library that they have not "
        "rated yet. Record those ratings.",
        "Rate, for {{user}}, each {{artist}} title in their library without a rating from them: {{stars}} stars each.",
    ],
    "build_playlist": [
        'Create a playlist called "{{name}}" for {{user}} with the {{n}} highest-rated {{genre}} titles they '
        "can stream today that run at most {{max_minutes}} minutes each, as far as the policy allows.",
        '{{user}} wants a new playlist "{{name}}": the top {{n}} {{genre}} titles by average rating among those '
        "streamable for them today and no longer than {{max_minutes}} minutes, respecting the policy.",
    ],
    "movie_night": [
        'Make {{user}} a playlist "{{name}}" with exactly 2 {{movie_genre}} movies and 3 {{album_genre}} albums, '
        "all streamable for them today, none already in their library, at most {{max_minutes}} minutes in "
        "total, with the largest possible sum of average ratings under the policy. Add all five to their "
        "library as well.",
        '{{user}} is planning a night in: a new playlist "{{name}}" of two {{movie_genre}} movies plus three '
        "{{album_genre}} albums that they can stream today and don't own yet, totalling no more than "
        "{{max_minutes}} minutes, chosen to maximise the summed average ratings while following the policy. Put "
        "the five titles in their library too.",
    ],
}
