"""The annual documents a French entity issues: the annual pay statement and the employer's
certificate (attestation employeur content for France Travail: contracts, days, pay)."""

DOCUMENTS = ("fr-annual", "certificate")
