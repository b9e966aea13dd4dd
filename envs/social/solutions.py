"""Reference solutions: tools and computation only (each is stored with the helpers it uses)."""

from synth.env import only


def can_message(me, other, following, followers, mutual_only):
    """Whether profile `me` may message profile `other` (profiles from get_user or get_profiles), given the handles
    `me` follows and the handles that follow `me`."""
    if me["status"] != "active" or other["status"] != "active" or other["dm_setting"] == "nobody":
        return False
    if other["handle"] in me["blocks"] or me["handle"] in other["blocks"]:
        return False
    if other["dm_setting"] == "mutuals" or mutual_only:
        return other["handle"] in following and other["handle"] in followers
    return True


def removable_posts(tools, params, author=None):
    """The group's posts (not removed) with enough reports to be removed, optionally only those of `author`."""
    return [
        p
        for p in tools.get_group_posts(name=params["group"])
        if p["reports"] >= params["report_threshold"] and author in (None, p["author"])
    ]


def solve_follower_count(tools, params):
    return len(tools.get_followers(handle=params["handle"]))


def solve_post_likes(tools, params):
    return len(tools.get_post(post_id=params["post_id"])["liked_by"])


def solve_user_city(tools, params):
    return only(tools.search_users(name=params["name"]), display_name=params["name"])["city"]


def solve_mutual_count(tools, params):
    return len(set(tools.get_following(handle=params["handle"])) & set(tools.get_followers(handle=params["handle"])))


def solve_fof_count(tools, params):
    following = set(tools.get_following(handle=params["handle"]))
    fof = set()
    for f in sorted(following):
        fof |= set(tools.get_following(handle=f))
    return len(fof - following - {params["handle"]})


def solve_top_group_post(tools, params):
    posts = tools.get_group_posts(name=params["group"], since=params["since"])
    return max(posts, key=lambda p: p["likes"])["author"]


def solve_common_groups(tools, params):
    a = set(tools.get_user(handle=params["a"])["groups"])
    return sorted(a & set(tools.get_user(handle=params["b"])["groups"]))


def solve_follow_back(tools, params):
    me = tools.get_user(handle=params["handle"])
    following = set(tools.get_following(handle=params["handle"]))
    added = []
    for f in tools.get_followers(handle=params["handle"]):
        if f in following:
            continue
        other = tools.get_user(handle=f)
        if other["status"] != "active" or f in me["blocks"] or me["handle"] in other["blocks"]:
            continue
        tools.follow_user(handle=params["handle"], target=f)
        added.append(f)
    return f"Now following {len(added)} more accounts"


def solve_dm_group_mutuals(tools, params):
    me = tools.get_user(handle=params["handle"])
    following = set(tools.get_following(handle=params["handle"]))
    followers = set(tools.get_followers(handle=params["handle"]))
    members = [m["handle"] for m in tools.get_group(name=params["group"])["members"]]
    sent = []
    for handle in members:
        if (
            handle in following
            and handle in followers
            and can_message(me, tools.get_user(handle=handle), following, followers, params["mutual_dms"])
        ):
            tools.send_message(sender=params["handle"], recipient=handle, body=params["body"])
            sent.append(handle)
    return f"Sent to {len(sent)} members"


def solve_like_group_follows(tools, params):
    me = tools.get_user(handle=params["handle"])
    following = set(tools.get_following(handle=params["handle"]))
    n = 0
    for p in tools.get_group_posts(name=params["group"], since=params["since"]):
        if p["author"] not in following:
            continue
        post = tools.get_post(post_id=p["id"])
        author = tools.get_user(handle=p["author"])
        if params["handle"] in post["liked_by"] or p["author"] in me["blocks"] or me["handle"] in author["blocks"]:
            continue
        tools.like_post(handle=params["handle"], post_id=p["id"])
        n += 1
    return f"Liked {n} posts"


def solve_moderation_sweep(tools, params):
    authors = set()
    for p in removable_posts(tools, params):
        tools.remove_post(admin=params["admin"], post_id=p["id"], reason=params["reason"])
        authors.add(p["author"])
    suspended = []
    for a in sorted(authors):
        u = tools.get_user(handle=a)
        if u["status"] == "active" and u["strikes"] >= 3:
            tools.suspend_user(admin=params["admin"], handle=a)
            suspended.append(a)
    return "Suspended: " + (", ".join(suspended) or "nobody")


def solve_group_outreach(tools, params):
    members = {m["handle"] for m in tools.get_group(name=params["group"])["members"]}
    if params["handle"] not in members:
        tools.join_group(handle=params["handle"], group=params["group"])
    tools.create_post(handle=params["handle"], group=params["group"], text=params["text"])
    me = tools.get_user(handle=params["handle"])
    following = set(tools.get_following(handle=params["handle"]))
    followers = set(tools.get_followers(handle=params["handle"]))
    for f in sorted(followers & members):
        if can_message(me, tools.get_user(handle=f), following, followers, params["mutual_dms"]):
            tools.send_message(sender=params["handle"], recipient=f, body=params["body"])
    return "Done"


def solve_harassment_response(tools, params):
    tools.block_user(handle=params["victim"], target=params["harasser"])
    for p in removable_posts(tools, params, author=params["harasser"]):
        tools.remove_post(admin=params["admin"], post_id=p["id"], reason="harassment")
    if tools.get_user(handle=params["harasser"])["strikes"] >= 3:
        tools.suspend_user(admin=params["admin"], handle=params["harasser"])
    me, admin = tools.get_user(handle=params["victim"]), tools.get_user(handle=params["admin"])
    following = set(tools.get_following(handle=params["victim"]))
    followers = set(tools.get_followers(handle=params["victim"]))
    if not can_message(me, admin, following, followers, params["mutual_dms"]):
        return "Handled; no message allowed"
    tools.send_message(sender=params["victim"], recipient=params["admin"], body=params["body"])
    return "Handled and messaged the admin"


def solve_grow_network(tools, params):
    me = tools.get_user(handle=params["handle"])
    following = set(tools.get_following(handle=params["handle"]))
    followers = set(tools.get_followers(handle=params["handle"]))
    scores = {}
    for f in sorted(following):
        for v in tools.get_following(handle=f):
            if v != params["handle"] and v not in following:
                scores[v] = scores.get(v, 0) + 1
    names = sorted(scores)
    profiles = {}
    for i in range(0, len(names), 50):
        profiles.update({p["handle"]: p for p in tools.get_profiles(handles=names[i : i + 50])})
    eligible = [
        v
        for v, p in profiles.items()
        if (not params["city"] or p["city"] == params["city"])
        and p["status"] == "active"
        and v not in me["blocks"]
        and me["handle"] not in p["blocks"]
        and (not p["private"] or v in followers)
    ]
    chosen = sorted(eligible, key=lambda v: -scores[v])[: params["k"]]
    for v in chosen:
        tools.follow_user(handle=params["handle"], target=v)
    following |= set(chosen)
    for v in chosen:
        if can_message(me, profiles[v], following, followers, params["mutual_dms"]):
            tools.send_message(sender=params["handle"], recipient=v, body=params["body"])
    return "Followed " + ", ".join(chosen)
