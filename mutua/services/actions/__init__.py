"""The write path of the mutual services (DESIGN.md §4): bookings, training, loans, insurance and
advice requests, each module's `@action`s with the rules they check."""
