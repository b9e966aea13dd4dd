"""Reference solutions: tools and computation only (each is stored with the helpers it uses)."""

from synth.env import only


def points_for(goals_for, goals_against):
    return 3 if goals_for > goals_against else 1 if goals_for == goals_against else 0


def can_buy(player, team, teams, params):
    """Whether the policy lets `team` buy `player` at market value (teams: list_teams rows by name)."""
    if params["age_cap"] is not None and player["age"] > params["age_cap"]:
        return False
    return (
        team["roster_size"] < team["roster_limit"]
        and team["budget"] - player["market_value"] >= params["budget_floor"]
        and teams[player["team"]]["roster_size"] > 16
    )


def solve_player_team(tools, params):
    return tools.get_player(player=params["player"])["team"]


def solve_team_budget(tools, params):
    return only(tools.list_teams(), name=params["team"])["budget"]


def solve_match_goals(tools, params):
    m = only(tools.list_matches(team=params["home"], status="played"), home=params["home"], away=params["away"])
    return m["home_goals"] if params["team"] == params["home"] else m["away_goals"]


def solve_team_points(tools, params):
    points = 0
    for m in tools.list_matches(team=params["team"], status="played"):
        home = m["home"] == params["team"]
        points += points_for(m["home_goals"] if home else m["away_goals"], m["away_goals"] if home else m["home_goals"])
    return points


def solve_team_top_scorer(tools, params):
    return max(tools.get_roster(team=params["team"]), key=lambda p: p["goals"])["name"]


def solve_nth_place(tools, params):
    table = {t["name"]: [0, 0, 0] for t in tools.list_teams()}  # points, goal difference, goals for
    for m in tools.list_matches(status="played"):
        for team, gf, ga in (
            (m["home"], m["home_goals"], m["away_goals"]),
            (m["away"], m["away_goals"], m["home_goals"]),
        ):
            table[team][0] += points_for(gf, ga)
            table[team][1] += gf - ga
            table[team][2] += gf
    ranked = sorted(table, key=lambda t: (-table[t][0], -table[t][1], -table[t][2], t))
    return ranked[params["n"] - 1]


def solve_player_contributions(tools, params):
    p = tools.get_player(player=params["player"])
    return p["goals"] + p["assists"]


def solve_record_and_points(tools, params):
    m = only(tools.list_matches(round=params["round"], status="scheduled"), home=params["home"])
    tools.record_result(match_id=m["id"], home_goals=params["hg"], away_goals=params["ag"])
    return only(tools.get_standings(), team=params["team"])["points"]


def solve_record_round(tools, params):
    fixtures = {m["home"]: m["id"] for m in tools.list_matches(round=params["round"], status="scheduled")}
    for home, away, hg, ag in params["results"]:
        tools.record_result(match_id=fixtures[home], home_goals=hg, away_goals=ag)
    return tools.get_standings()[0]["points"]


def solve_buy_best(tools, params):
    pool = [
        p
        for p in tools.search_players(position=params["position"], max_market_value=params["max_value"])
        if p["team"] and p["team"] != params["team"]
    ]
    best = max(pool, key=lambda p: p["goals"] + p["assists"])
    tools.transfer_player(player=best["name"], to_team=params["team"], fee=best["market_value"])
    return f"Bought {best['name']}"


def solve_sell_and_buy(tools, params):
    roster = [p for p in tools.get_roster(team=params["team"]) if p["position"] == params["position"]]
    seller = {**min(roster, key=lambda p: p["minutes"]), "team": params["team"]}
    teams = {t["name"]: t for t in tools.list_teams()}
    buyers = [t for t in teams.values() if t["name"] != params["team"] and can_buy(seller, t, teams, params)]
    buyer = max(buyers, key=lambda t: t["budget"])
    tools.transfer_player(player=seller["name"], to_team=buyer["name"], fee=seller["market_value"])
    teams = {t["name"]: t for t in tools.list_teams()}
    pool = [
        p
        for p in tools.search_players(position=params["position"])
        if p["team"] and p["team"] != params["team"] and can_buy(p, teams[params["team"]], teams, params)
    ]
    target = max(pool, key=lambda p: p["minutes"])
    tools.transfer_player(player=target["name"], to_team=params["team"], fee=target["market_value"])
    return f"Sold {seller['name']} to {buyer['name']}, bought {target['name']}"


def solve_squad_plan(tools, params):
    roster = [p for p in tools.get_roster(team=params["team"]) if p["position"] == params["release"]]
    oldest = max(roster, key=lambda p: p["age"])
    tools.release_player(player=oldest["name"])
    teams = {t["name"]: t for t in tools.list_teams()}
    me = teams[params["team"]]

    def pool(position):
        return [
            p
            for p in tools.search_players(position=position, max_age=params["max_age"] - 1)
            if p["team"]
            and p["team"] != params["team"]
            and (params["age_cap"] is None or p["age"] <= params["age_cap"])
        ]

    best, forwards, midfielders = None, pool("FW"), pool("MF")
    for fw in forwards:
        for mf in midfielders:
            fee = fw["market_value"] + mf["market_value"]
            same = 2 if fw["team"] == mf["team"] else 1
            if (
                fee > params["spend"]
                or me["budget"] - fee < params["budget_floor"]
                or any(teams[p["team"]]["roster_size"] - same < 16 for p in (fw, mf))
            ):
                continue
            score = fw["goals"] + fw["assists"] + mf["goals"] + mf["assists"]
            if best is None or score > best[0]:
                best = (score, fw, mf)
    for p in best[1:]:
        tools.transfer_player(player=p["name"], to_team=params["team"], fee=p["market_value"])
    return f"Released {oldest['name']}; bought {best[1]['name']} and {best[2]['name']}"
