"""Mutua: the open platform of a business and employment cooperative."""
