"""How each task shape is asked (Jinja2; several phrasings per shape)."""

PHRASINGS = {
    "seats_left": [
        "How many open seats are left in section {{section}} of {{course}}?",
        "{{course}} section {{section}}: how many more students can enrol?",
    ],
    "grade_points": [
        "How many grade points is {{student}}'s grade in {{course}} worth on the registrar's grade scale?",
        "Look up the grade recorded on {{student}}'s transcript for {{course}} and tell me the grade points it "
        "carries.",
    ],
    "section_instructor": [
        "Who teaches section {{section}} of {{course}}?",
        "Name the instructor of {{course}}, section {{section}}.",
    ],
    "student_gpa": [
        "What is {{student}}'s cumulative GPA? Round to 2 decimals.",
        "Compute the credit-weighted GPA of {{student}} over all graded courses (2 decimals).",
    ],
    "eligible_courses": [
        "Which {{level}}-level {{dept}} courses could {{student}} take next, i.e. they have passed every "
        "prerequisite and have not passed the course itself? Give the course codes.",
        "List the codes of the {{dept}} courses at the {{level}} level whose prerequisites {{student}} has all "
        "passed and which they have not yet passed.",
    ],
    "instructor_load": [
        "How many students in total are enrolled in sections taught by {{instructor}}?",
        "Count the enrolments across all sections that {{instructor}} teaches.",
    ],
    "enrol_course": [
        "Enrol {{student}} in {{course}}, in the lowest-numbered section that has a free seat and fits their "
        "timetable under the rules.",
        "Put {{student}} into {{course}}: use the first section (by section number) with space that the policy "
        "lets them take.",
    ],
    "drop_dept": [
        "{{student}} is leaving the {{dept}} department's courses. Drop all of their {{dept}} enrolments.",
        "Withdraw {{student}} from every {{dept}} course they are currently enrolled in.",
    ],
    "switch_section": [
        "Move {{student}} out of their current section of {{course}} into the lowest-numbered other section "
        "that has a seat and fits their timetable.",
        "{{student}} wants a different section of {{course}}: switch them to the first other section, by number, "
        "with a free seat and no time clash.",
    ],
    "priority_enrol": [
        "Enrol {{student}} in these courses, in this priority order: {{courses}}. For each, take the "
        "lowest-numbered section with a free seat that the rules allow at that point; skip a course when no "
        "section works.",
        "Work through {{student}}'s wish list in order ({{courses}}): enrol them in each course's first "
        "section by number that has space and is allowed given what they hold by then; courses that cannot be "
        "taken are skipped.",
    ],
    "replan": [
        "{{student}} is reworking their timetable. First drop {{drop}}. Then go through {{courses}} in order: "
        "enrol them in the lowest-numbered section with a free seat that the rules allow at that point; if "
        "every section they could otherwise take is full, put them on the waitlist of the lowest-numbered such "
        "section instead (within the waitlist limit); otherwise skip the course.",
        "For {{student}}: drop {{drop}}, then for each of {{courses}} in turn, enrol in the first allowed "
        "section (by number) that has a seat; where the only allowed sections are full, join the waitlist of "
        "the lowest-numbered one if the limit permits, else skip it.",
    ],
}
