"""Demo content for `manage.py load_demo_data`, built from the 8 March 2017 HWB agenda pack.

pack.py reads the pack; people.py, memberships.py and boards.py make the boards and who sits on
them; papers.py and paper_documents.py turn slices of the pack into Word papers; agenda_2017.py
makes the HWB's 2016-17 meetings and future.py the coming ones; users.py the demo sign-ins;
loader.py runs them in order, and sync.py keeps every step idempotent.
"""
