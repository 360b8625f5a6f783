"""Matching a job to credentials: the skills and occupations a posting asks for, found in
its fields or its free text, and the credentials that cover them, ranked.

`skill_text` reads text against the graph's labels (`Vocabulary`, `find_terms`,
`find_codes`); `index` builds that vocabulary from a store once per store version; `ranking`
orders the credentials.
"""
