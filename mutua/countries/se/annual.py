"""The annual documents a Swedish entity issues: the employer's certificate only (the tax
agency receives pay monthly, arbetsgivardeklaration per individual)."""

DOCUMENTS = ("certificate",)
