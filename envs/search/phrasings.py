"""How each task shape is asked (Jinja2; several phrasings per shape)."""

PHRASINGS = {
    "birthplace": [
        "In which city was {{person}} born?",
        "Where was {{person}} born? Name the city.",
        "Find out the birth city of {{person}}.",
    ],
    "product_maker": ["Which company makes the {{product}}?", "Who is the manufacturer of the {{product}}?"],
    "founded_year": ["In what year was {{company}} founded?", "When was {{company}} established? Give the year."],
    "founder_birthplace": [
        "The founder of the company that makes the {{product}} was born in which city?",
        "Trace the {{product}} back to its maker, then to that company's founder: in which city was the founder born?",
    ],
    "count_products": [
        "How many of {{company}}'s products were launched after {{year}}?",
        "Count the products made by {{company}} whose launch year is later than {{year}}.",
    ],
    "earliest_company": [
        "Which company headquartered in {{country}} was founded first?",
        "Among the companies based in {{country}}, which is the oldest (earliest founding year)?",
    ],
    "event_country": [
        "In which country was the {{event}} held?",
        "The {{event}} took place in a city. Which country is that city in?",
    ],
    "cited_acquirer": [
        "Which company acquired {{company}}? Submit a citation of a document that states the acquisition.",
        "Find who bought {{company}} and cite (submit_citation) one document supporting that.",
    ],
    "bookmark_staff": [
        "Bookmark the profile document of every person who works at {{company}}, its founder included, each "
        "with a note.",
        "I need the personal profiles of all {{company}} people (staff and founder) bookmarked, with a note on each.",
    ],
    "event_chain": [
        "The {{event}} was organized by a company. Who founded that company, and in which city was the founder "
        "born? Cite one supporting document for each step: the organizer, the founder and the birthplace.",
        "Work out who founded the organizer of the {{event}} and where that person was born. Support each hop "
        "(organizer, founder, birthplace) with a citation.",
    ],
    "acquirer_founder": [
        "{{company}} was acquired by another company. Which company acquired it, who founded the acquirer, and in "
        "what year was that founder born? Cite a document for the acquisition, one for the founder and one for the "
        "birth year.",
        "Find the company that bought {{company}}, its founder, and the founder's year of birth. Cite a "
        "supporting document for each of the three facts.",
    ],
    "country_priciest": [
        "Among companies headquartered in {{country}}, which makes the most expensive {{category}} product? "
        "Name the company and the product, and cite the product's document (for its price and maker) and a "
        "document stating the company's headquarters.",
        "Look at every {{category}} product made by a company based in {{country}}. Which is the priciest, and "
        "who makes it? Cite documents for the product's price and maker and for the maker's headquarters.",
    ],
    "hometown_founders": [
        "How many companies were founded by people born in {{city}}? Name those companies and cite the "
        "profile of each founder.",
        "Count the companies whose founder was born in {{city}}; list them and cite each founder's profile as "
        "evidence.",
    ],
}
