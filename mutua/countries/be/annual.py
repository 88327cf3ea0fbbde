"""The annual documents a Belgian entity issues to its members (mutua/payroll/annual.py):
tax forms 281.10 (pay, art. 57 CIR 92) and 281.45 (copyright, art. 57 4° CIR 92), and the
certificate of work (what the unemployment office's C4 asks: contracts, days, pay)."""

DOCUMENTS = ("281.10", "281.45", "certificate")
