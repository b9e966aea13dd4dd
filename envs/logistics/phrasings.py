"""How each task shape is asked (Jinja2; several phrasings per shape)."""

PHRASINGS = {
    "truck_capacity": [
        "What is the load capacity of truck {{truck}} in kg?",
        "How many kilograms can truck {{truck}} carry?",
    ],
    "route_distance": [
        "How far is it from {{origin}} to {{destination}} by the shortest road route, in km?",
        "What is the shortest driving distance between {{origin}} and {{destination}}?",
        "Give me the road distance in km from {{origin}} to {{destination}} along the shortest route.",
    ],
    "shipment_truck": [
        "Which truck is shipment {{ref}} assigned to?",
        "Shipment {{ref}} has been planned. On which truck?",
    ],
    "pending_weight": [
        "What is the total weight of the unassigned (pending) shipments waiting at the {{depot}} depot?",
        "Add up the weights of all pending shipments leaving from {{depot}}. How many kg is that?",
    ],
    "free_capacity": [
        "How many kg of free capacity does truck {{truck}} have left on {{date}}?",
        "On {{date}}, how much more weight could truck {{truck}} still take?",
    ],
    "nearest_depot": [
        "Which depot is closest to {{town}} by road?",
        "We need to serve {{town}}. Which of our depots has the shortest road distance to it?",
    ],
    "eligible_trucks": [
        "Which trucks of the {{depot}} depot could take a single {{weight}} kg {{kind}} load on {{date}}, given "
        "their status, type and what they already carry that day?",
        "List the {{depot}} trucks able to carry one more {{kind}} shipment of {{weight}} kg on {{date}}.",
    ],
    "assign_cheapest": [
        "Plan shipment {{ref}} for delivery on {{date}} on the cheapest truck that is allowed to take it.",
        "Assign shipment {{ref}} to a truck for {{date}}, choosing the lowest-cost truck the rules allow.",
    ],
    "reassign_cheaper": [
        "Shipment {{ref}} is planned on a truck that is not the cheapest option. Move it, on the same date, to "
        "the cheapest truck allowed to carry it.",
        "Re-plan shipment {{ref}}: keep its delivery date but put it on the lowest-cost eligible truck.",
    ],
    "dispatch_day": [
        "Dispatch every pending shipment of the {{depot}} depot whose delivery window includes {{date}}: assign "
        "them all for {{date}} while keeping their total delivery cost within {{budget}}.",
        "For {{date}}, plan all pending {{depot}} shipments that may be delivered that day, on trucks of the "
        "depot, spending at most {{budget}} on those deliveries in total.",
    ],
    "breakdown": [
        "Truck {{truck}} has to go into maintenance. Move each of its assigned shipments to another truck on the "
        "same date (total cost of the moved deliveries at most {{budget}}), then set the truck to maintenance.",
        "Take truck {{truck}} out of service: re-plan all of its shipments onto other trucks, keeping each "
        "shipment's date and spending no more than {{budget}} on them, and mark the truck as in maintenance.",
    ],
    "customer_plan": [
        "Plan all pending shipments of {{customer}}: each on the earliest date the rules allow a truck to take it, "
        "with the whole lot costing at most {{budget}}.",
        "{{customer}} wants their pending shipments delivered as early as possible: assign each one on its "
        "earliest feasible date, keeping the total delivery cost within {{budget}}.",
    ],
}
