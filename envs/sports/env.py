"""Football league office: teams, players, fixtures and results, per-match player stats, standings and transfers."""

from synth.env import EnvTemplate, VariantSpace

from .phrasings import PHRASINGS
from .tasks import SportsTasks
from .tools import SportsTools
from .world import SportsWorld


class SportsEnv(SportsWorld, SportsTools, SportsTasks, EnvTemplate):
    name = "sports"
    version = "2.0.0"
    category = "sports league stats"
    description = (
        "A football league's office: teams with budgets and roster limits, players with positions, ages, "
        "market values and per-match stats, fixtures and results, the standings, and transfers. Look up "
        "stats, record results, and buy, sign or release players."
    )
    variants = VariantSpace(
        optional_tools=("list_transfers", "get_match", "top_scorers"),
        renames={
            "search_players": ("find_players", "player_search"),
            "transfer_player": ("buy_player",),
            "get_standings": ("league_table",),
        },
        rules={
            "veteran_cap": "Teams may not buy or sign players aged 32 or older.",
            "budget_floor": "A team's budget must stay at or above 1,000,000 after buying a player.",
        },
        scales=("small", "medium", "large"),
    )
    phrasings = PHRASINGS
