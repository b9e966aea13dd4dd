"""Reference solutions: tools and computation only (each is stored with the helpers it uses). They read the
documents' text, as an agent would."""

import re

BORN = r"born in (.+?) in \d|city of (.+?), |birthplace is (.+?)\."  # the three ways a profile states it


def top_doc(tools, query, kind):
    """The best search hit of a kind, opened."""
    return tools.open_document(doc_id=tools.search(query=query, kind=kind, limit=1)[0]["id"])


def born_in(body):
    """The birth city a person profile states."""
    return next(g for g in re.search(BORN, body).groups() if g)


def founder_in(body):
    """The founder a company profile states."""
    return re.search(r"founded in \d{4} by (.+?)\. It is", body).group(1)


def maker_in(body):
    """The maker a product profile states."""
    m = re.search(r"made by (.+?), launched|^(.+?) launched the", body)
    return m.group(1) or m.group(2)


def acquirer_in(body):
    """The buyer a company profile states (its last sentence)."""
    return re.search(r"acquired by (.+?)\.$", body).group(1)


def cities_of(tools, country):
    """Names of the cities the city profiles place in a country."""
    return [
        hit["title"]
        for hit in tools.search(query=country, kind="city", limit=50)
        if re.search(r"(city in|lies in) " + country + r"\b", hit["snippet"])
    ]


def solve_birthplace(tools, params):
    return born_in(top_doc(tools, params["person"], "person")["body"])


def solve_product_maker(tools, params):
    return maker_in(top_doc(tools, params["product"], "product")["body"])


def solve_founded_year(tools, params):
    return int(re.search(r"founded in (\d{4})", top_doc(tools, params["company"], "company")["body"]).group(1))


def solve_founder_birthplace(tools, params):
    maker = maker_in(top_doc(tools, params["product"], "product")["body"])
    founder = founder_in(top_doc(tools, maker, "company")["body"])
    return born_in(top_doc(tools, founder, "person")["body"])


def solve_count_products(tools, params):
    company = top_doc(tools, params["company"], "company")
    count = 0
    for name in re.search(r"Products: (.+?)\.", company["body"]).group(1).split(", "):
        year = int(re.search(r"in (\d{4})", top_doc(tools, name, "product")["body"]).group(1))
        count += year > params["year"]
    return count


def solve_earliest_company(tools, params):
    cities = cities_of(tools, params["country"])
    years = {}
    for hit in tools.search(query="headquartered", kind="company", limit=50):
        if re.search(r"headquartered in (.+?) and", hit["snippet"]).group(1) in cities:
            body = tools.open_document(doc_id=hit["id"])["body"]
            years[hit["title"]] = int(re.search(r"founded in (\d{4})", body).group(1))
    return min(years, key=years.get)


def solve_event_country(tools, params):
    city = re.search(r"was held in (.+?) in \d{4}", top_doc(tools, params["event"], "event")["body"]).group(1)
    return re.search(r"city in (\w+)|lies in (\w+)", top_doc(tools, city, "city")["body"]).group(0).split()[-1]


def solve_cited_acquirer(tools, params):
    doc = top_doc(tools, params["company"], "company")
    buyer = acquirer_in(doc["body"])
    tools.submit_citation(doc_id=doc["id"], claim=f"{params['company']} was acquired by {buyer}.")
    return buyer


def solve_bookmark_staff(tools, params):
    doc = top_doc(tools, params["company"], "company")
    staff = re.search(r"Staff include (.+?)\.", doc["body"])
    people = [founder_in(doc["body"])] + (staff.group(1).split(", ") if staff else [])
    for name in people:
        hit = tools.search(query=name, kind="person", limit=1)[0]
        tools.bookmark(doc_id=hit["id"], note=f"works at {params['company']}")
    return f"Bookmarked {len(people)} profiles."


def solve_event_chain(tools, params):
    event = top_doc(tools, params["event"], "event")
    organizer = re.search(r"organized by (.+?)\. About", event["body"]).group(1)
    tools.submit_citation(doc_id=event["id"], claim=f"The {params['event']} was organized by {organizer}.")
    company = top_doc(tools, organizer, "company")
    founder = founder_in(company["body"])
    tools.submit_citation(doc_id=company["id"], claim=f"{organizer} was founded by {founder}.")
    person = top_doc(tools, founder, "person")
    city = born_in(person["body"])
    tools.submit_citation(doc_id=person["id"], claim=f"{founder} was born in {city}.")
    return {"founder": founder, "city": city}


def solve_acquirer_founder(tools, params):
    doc = top_doc(tools, params["company"], "company")
    buyer = acquirer_in(doc["body"])
    tools.submit_citation(doc_id=doc["id"], claim=f"{params['company']} was acquired by {buyer}.")
    company = top_doc(tools, buyer, "company")
    founder = founder_in(company["body"])
    tools.submit_citation(doc_id=company["id"], claim=f"{buyer} was founded by {founder}.")
    person = top_doc(tools, founder, "person")
    year = int(re.search(r"\b(19\d\d)\b", person["body"]).group(1))
    tools.submit_citation(doc_id=person["id"], claim=f"{founder} was born in {year}.")
    return {"acquirer": buyer, "founder": founder, "birth_year": year}


def solve_country_priciest(tools, params):
    cities = cities_of(tools, params["country"])
    best = None
    for hit in tools.search(query=params["category"], kind="company", limit=50):
        doc = tools.open_document(doc_id=hit["id"])
        m = re.search(r"is an? (\w+) company .*? headquartered in (.+?) and employs", doc["body"])
        if m.group(1) != params["category"] or m.group(2) not in cities:
            continue
        for name in re.search(r"Products: (.+?)\.", doc["body"]).group(1).split(", "):
            product = top_doc(tools, name, "product")
            price = float(re.search(r"(\d+\.\d\d) crowns", product["body"]).group(1))
            if best is None or price > best[0]:
                best = (price, name, product["id"], hit["title"], doc["id"])
    price, product, product_doc, company, company_doc = best
    tools.submit_citation(doc_id=product_doc, claim=f"The {product} costs {price:.2f} crowns and is made by {company}.")
    tools.submit_citation(doc_id=company_doc, claim=f"{company} is headquartered in {params['country']}.")
    return {"company": company, "product": product}


def solve_hometown_founders(tools, params):
    found = []
    for hit in tools.search(query=params["city"] + " founded", kind="person", limit=50):
        doc = tools.open_document(doc_id=hit["id"])
        company = re.search(r" founded (.+?)\.$", doc["body"])
        if born_in(doc["body"]) == params["city"] and company:
            found.append(company.group(1))
            tools.submit_citation(
                doc_id=doc["id"], claim=f"{hit['title']} was born in {params['city']} and founded {company.group(1)}."
            )
    return {"count": len(found), "companies": found}
